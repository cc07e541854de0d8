package dev.dialtone.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.WireCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A business server's pre-call hook for end-to-end tests: a real HTTP server on an ephemeral port
 * that records every request (headers, raw body) and answers as the test tells it, at once or
 * after a delay.
 */
final class HookServer implements AutoCloseable {

    /** One request as received; header names are lower case. */
    record Request(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return WireCodec.get().mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String action() {
            return json().path("action").asText();
        }
    }

    /** How to answer: a status and a body, after {@code delayMs}. */
    record Answer(int status, String body, long delayMs) {
        static Answer json(String body) {
            return new Answer(200, body, 0);
        }

        static Answer allow() {
            return json("{\"allow\":true}");
        }

        static Answer deny(String code, String message) {
            return json("{\"allow\":false,\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }

        Answer after(long millis) {
            return new Answer(status, body, millis);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger lateAnswers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Function<Request, Answer> behaviour = r -> Answer.allow();

    private HookServer() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the hook server", e);
        }
    }

    static HookServer start() {
        return new HookServer();
    }

    /** A URL on which nothing listens (its port was free a moment ago). */
    static String downUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            Request one = new Request(headers, body.getBytes());
            requests.add(one);
            Answer answer = behaviour.apply(one);
            HttpServerResponse response = request.response();
            if (answer.delayMs() <= 0) {
                send(response, answer);
            } else {
                vertx.setTimer(answer.delayMs(), id -> {
                    send(response, answer);
                    lateAnswers.incrementAndGet();
                });
            }
        });
    }

    private static void send(HttpServerResponse response, Answer answer) {
        if (response.closed() || response.ended()) {
            return; // the server gave up on a slow answer and reset the request
        }
        response.setStatusCode(answer.status()).putHeader("content-type", "application/json").end(answer.body());
    }

    /** How every later request is answered. */
    void answer(Function<Request, Answer> value) {
        behaviour = value;
    }

    void answerAlways(Answer answer) {
        behaviour = r -> answer;
    }

    /** Forgets the requests received so far. */
    void clear() {
        requests.clear();
        lateAnswers.set(0);
    }

    /** How many delayed answers were sent (or given up on, the server having reset the request). */
    int lateAnswers() {
        return lateAnswers.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String action) {
        return requests.stream().filter(r -> r.action().equals(action)).toList();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hook";
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
