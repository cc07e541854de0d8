package dev.dialtone.server.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for the business server in tests: records every request (headers,
 * raw body) and answers through a {@link Responder} that the test can swap at any time.
 */
public final class TestReceiver implements AutoCloseable {

    /** One request as received; header names are lower case. */
    public record Received(int number, String method, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers a request; may answer later (or never) by keeping {@code response}. */
    @FunctionalInterface
    public interface Responder {
        void respond(Received request, HttpServerResponse response);
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Responder responder;

    private TestReceiver(Vertx vertx, int port, Responder responder) {
        this.responder = responder;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test receiver", e);
        }
    }

    /** Starts on an ephemeral port. */
    public static TestReceiver start(Vertx vertx, Responder responder) {
        return new TestReceiver(vertx, 0, responder);
    }

    /** Starts on {@code port} (a port reserved with {@link #freePort()}). */
    public static TestReceiver start(Vertx vertx, int port, Responder responder) {
        return new TestReceiver(vertx, port, responder);
    }

    /** Answers {@code status} with a JSON {@code body} at once. */
    public static Responder answer(int status, String body) {
        return (request, response) -> response.setStatusCode(status)
                .putHeader("content-type", "application/json").end(body);
    }

    /** A port that nothing listens on (it was free a moment ago). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            Received one = new Received(count.incrementAndGet(), request.method().name(), headers, body.getBytes());
            received.add(one);
            responder.respond(one, request.response());
        });
    }

    public void responder(Responder value) {
        responder = value;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/dialtone";
    }

    @Override
    public void close() {
        try {
            server.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
