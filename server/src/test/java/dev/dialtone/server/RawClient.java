package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare WebSocket client that speaks the wire protocol frame by frame, for tests of what the
 * SDK would never send: malformed frames, oversized frames, bad tokens, re-sent ids.
 */
public final class RawClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private RawClient(URI uri) {
        socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(WireCodec.get().mapper().readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new AssertionError("server sent invalid JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    public static RawClient connect(int port) {
        return new RawClient(URI.create("ws://127.0.0.1:" + port + "/v1/ws"));
    }

    /** Connects and signs in with a valid token; returns the auth result. */
    public static RawClient signedIn(DialtoneServer server, String user, String device) {
        RawClient client = connect(server.port());
        JsonNode ok = client.command("auth", o -> o.put("token", server.tokens().sign(user, Duration.ofMinutes(5)))
                .put("device", device));
        assertThat(ok.path("type").asText()).as("auth reply %s", ok).isEqualTo("ok");
        return client;
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a command with a fresh id and returns its reply (skipping events, which stay queued). */
    public JsonNode command(String type, java.util.function.Consumer<ObjectNode> fields) {
        String id = "t" + IDS.incrementAndGet();
        ObjectNode frame = WireCodec.get().mapper().createObjectNode().put("type", type).put("id", id);
        fields.accept(frame);
        sendText(frame.toString());
        return replyTo(id);
    }

    /** The next reply whose re is id; events seen meanwhile are kept for {@link #nextEvent}. */
    public JsonNode replyTo(String id) {
        java.util.List<JsonNode> skipped = new java.util.ArrayList<>();
        try {
            while (true) {
                JsonNode frame = next();
                if (id.equals(frame.path("re").asText(null))) {
                    return frame;
                }
                skipped.add(frame);
            }
        } finally {
            java.util.List<JsonNode> rest = new java.util.ArrayList<>();
            frames.drainTo(rest);
            frames.addAll(skipped);
            frames.addAll(rest);
        }
    }

    /** The next frame of any kind, failing after 5 s. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(5, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 5 s");
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event of the given type; other frames before it fail the test. */
    public JsonNode nextEvent(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo(type);
        return frame;
    }

    /** The next event of the given type, skipping any other frames before it. */
    public JsonNode skipTo(String type) {
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    /** Whether any frame arrives within the given time. */
    public JsonNode poll(long millis) {
        try {
            return frames.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The close code the server closed with, waiting up to 5 s. */
    public int awaitClose() {
        try {
            return closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within 5 s", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
