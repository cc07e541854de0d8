package dev.dialtone.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.function.Consumer;

/**
 * One signed-in protocol connection of the load generator, on a Vert.x WebSocket (no thread of its
 * own). Acknowledges events in batches and pings, as a real client does, so the server does the
 * work it does in production.
 *
 * <p>Threading: frames are handled on the connection's event loop; {@link #send} may be called
 * from any thread.
 */
final class BenchSocket {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACK_EVERY = 32;

    private final WebSocket socket;
    private long ids;
    private long lastSeq;
    private long unacked;

    private BenchSocket(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects and signs in as {@code user}; every later frame goes to {@code frames}. */
    static Future<BenchSocket> open(WebSocketClient client, URI server, String token, Consumer<JsonNode> frames) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(server.getHost())
                .setPort(server.getPort()).setURI(server.getPath());
        return client.connect(options).compose(ws -> {
            BenchSocket socket = new BenchSocket(ws);
            io.vertx.core.Promise<BenchSocket> signedIn = io.vertx.core.Promise.promise();
            ws.textMessageHandler(text -> socket.received(text, frames, signedIn));
            ws.closeHandler(v -> signedIn.tryFail("closed before sign-in"));
            socket.send(JSON.createObjectNode().put("type", "auth").put("token", token).put("device", "bench"));
            return signedIn.future();
        });
    }

    private void received(String text, Consumer<JsonNode> frames, io.vertx.core.Promise<BenchSocket> signedIn) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        if (!signedIn.future().isComplete()) {
            if ("ok".equals(frame.path("type").asText())) {
                signedIn.complete(this);
            } else {
                signedIn.fail("sign-in refused: " + frame);
            }
            return;
        }
        if (frame.has("seq")) {
            lastSeq = frame.get("seq").asLong();
            if (++unacked >= ACK_EVERY) {
                unacked = 0;
                socket.writeTextMessage("{\"type\":\"ack\",\"seq\":" + lastSeq + "}");
            }
        }
        frames.accept(frame);
    }

    /** Sends a command with a fresh id; returns the id. */
    synchronized String send(ObjectNode command) {
        String id = Long.toString(++ids);
        command.put("id", id);
        socket.writeTextMessage(command.toString());
        return id;
    }

    ObjectNode command(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    void ping() {
        send(command("ping"));
    }

    Future<Void> close() {
        return socket.close();
    }
}
