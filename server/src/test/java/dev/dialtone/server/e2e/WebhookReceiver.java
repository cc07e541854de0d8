package dev.dialtone.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.WireCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The business server's webhook endpoint for end-to-end tests: a real HTTP server on an ephemeral
 * port that records every POST (headers, raw body, the status it answered) in arrival order. It
 * answers 204, or 500 for the deliveries the test wants to fail.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One delivery attempt as received; header names are lower case. */
    record Delivery(Map<String, String> headers, byte[] body, JsonNode envelope, int status) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String id() {
            return envelope.path("id").asText();
        }

        String type() {
            return envelope.path("type").asText();
        }

        String key() {
            return envelope.path("key").asText();
        }

        long seq() {
            return envelope.path("seq").asLong();
        }

        JsonNode data() {
            return envelope.path("data");
        }

        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Answers 500 to the deliveries it matches; sees the delivery before it is recorded. */
    private volatile Predicate<Delivery> failing = d -> false;

    private WebhookReceiver() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the webhook receiver", e);
        }
    }

    static WebhookReceiver start() {
        return new WebhookReceiver();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            JsonNode envelope;
            try {
                envelope = WireCodec.get().mapper().readTree(body.getBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Delivery probe = new Delivery(headers, body.getBytes(), envelope, 0);
            int status = failing.test(probe) ? 500 : 204;
            deliveries.add(new Delivery(headers, body.getBytes(), envelope, status));
            request.response().setStatusCode(status).end();
        });
    }

    void failWhen(Predicate<Delivery> value) {
        failing = value;
    }

    /** Every attempt, failed ones too, in arrival order. */
    List<Delivery> attempts() {
        return List.copyOf(deliveries);
    }

    /** Every attempt for one key, in arrival order. */
    List<Delivery> attempts(String key) {
        return deliveries.stream().filter(d -> d.key().equals(key)).toList();
    }

    /** The deliveries this receiver took (2xx) for one key, in arrival order. */
    List<Delivery> delivered(String key) {
        return deliveries.stream().filter(d -> d.key().equals(key) && d.accepted()).toList();
    }

    List<String> types(String key) {
        return delivered(key).stream().map(Delivery::type).toList();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/webhooks";
    }

    @Override
    public void close() {
        try {
            server.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
