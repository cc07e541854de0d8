package dev.dialtone.client.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.dialtone.client.webhooks.WebhookVerificationException;
import dev.dialtone.client.webhooks.WebhookVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend's webhook endpoint: checks each event's signature, drops redeliveries by event id,
 * and turns {@code call.push} into a (here: printed) push notification.
 *
 * <pre>
 * DIALTONE_WEBHOOK_SECRET='…' java … WebhookReceiver 9100
 * DIALTONE_WEBHOOK_URL=http://localhost:9100/dialtone DIALTONE_WEBHOOK_SECRET='…' ./dialtone serve
 * </pre>
 */
public final class WebhookReceiver {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9100;
        WebhookVerifier verifier = new WebhookVerifier(System.getenv("DIALTONE_WEBHOOK_SECRET"));
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = ConcurrentHashMap.newKeySet(); // a real backend keeps these in its database

        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/dialtone", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                // Verify the raw bytes, before parsing anything.
                verifier.verify(exchange.getRequestHeaders().getFirst(WebhookVerifier.HEADER), body);
            } catch (WebhookVerificationException e) {
                System.err.println("refused a webhook: " + e.reason());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            JsonNode event = json.readTree(body);
            if (seen.add(event.path("id").asText())) {
                handle(event.path("type").asText(), event.path("data"));
            }
            exchange.sendResponseHeaders(204, -1); // answer fast: Dialtone retries anything but 2xx
        });
        server.start();
        System.out.println("receiving Dialtone webhooks on http://localhost:" + port + "/dialtone");
    }

    private static void handle(String type, JsonNode data) {
        switch (type) {
            case "call.push" -> {
                if (data.path("ringing").asBoolean()) {
                    System.out.println("push to " + data.path("user").asText() + ": incoming "
                            + data.path("media").asText() + " call from " + data.path("caller").asText());
                } else {
                    System.out.println("push to " + data.path("user").asText() + ": you missed a call");
                }
            }
            case "call.push_retracted" -> System.out.println("withdraw the push to " + data.path("user").asText()
                    + " (" + data.path("reason").asText() + ")");
            case "call.ended" -> System.out.println("call " + data.path("callId").asText() + " ended: "
                    + data.path("reason").asText() + ", billed " + data.path("durationMs").asLong() / 1000 + " s");
            default -> {
                // The other events: keep what your product needs.
            }
        }
    }
}
