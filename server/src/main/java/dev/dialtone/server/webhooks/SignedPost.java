package dev.dialtone.server.webhooks;

import dev.dialtone.core.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * POSTs JSON bodies to one business-server URL, signed with {@link Signature} when a secret is
 * configured, with a deadline on the whole exchange (connect, pool wait, send, and reading the
 * answer), not just on connecting. Shared by the pre-call hook and the event webhooks.
 *
 * <p>Thread-safe: {@link #post} may be called from any thread and never blocks; the exchange runs
 * on one Vert.x event-loop context (chosen at construction) and the returned future completes
 * there. A timed-out request is reset, so a late answer is never read and its connection is not
 * reused.
 */
public final class SignedPost {
    /**
     * Idle pooled connections are closed after this long. Business servers close idle keep-alive
     * connections too (Node's default is 5 s); closing ours first avoids sending a request on a
     * connection the other side is just closing, which would fail a hook call for nothing.
     */
    private static final int KEEP_ALIVE_SECONDS = 4;

    /**
     * Checks that {@code url} is one this class can post to: absolute {@code http://} or
     * {@code https://} with a host.
     *
     * @param name what the URL is called in the error, e.g. {@code DIALTONE_WEBHOOK_URL}
     */
    public static void checkUrl(String url, String name) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + url);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http:// or https:// URL, not " + url);
        }
    }

    /** The answer to a request: any status, with the whole body. */
    public record Answer(int status, Buffer body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final String url;
    private final long timeoutMs;
    private final Signature signature;
    private final Clock clock;
    private final HttpClientAgent client;
    /**
     * Every exchange runs on this one event-loop context, whichever thread calls {@link #post}: the
     * response's events and our handlers then share a thread and cannot race.
     */
    private final Context context;

    /**
     * @param secret    signs each request when not null
     * @param poolSize  connections kept to the URL (requests beyond wait for one, inside their deadline)
     * @param clock     the time written into signatures
     */
    public SignedPost(Vertx vertx, String url, long timeoutMs, byte[] secret, int poolSize, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.url = Objects.requireNonNull(url, "url");
        URI.create(url); // fail at wiring time, not on the first call
        this.timeoutMs = timeoutMs;
        this.signature = secret == null ? null : new Signature(secret);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS),
                new PoolOptions().setHttp1MaxSize(poolSize));
    }

    /**
     * Sends {@code body} with {@code content-type: application/json}, the extra {@code headers} and,
     * when signing, a {@code Dialtone-Signature} made now (so every retry carries a fresh
     * timestamp). Fails with {@link TimeoutException} when no full answer arrived within the
     * timeout, or with the connection's error; a non-2xx answer is a success here (see
     * {@link Answer#ok()}).
     */
    public Future<Answer> post(byte[] body, Map<String, String> headers) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("content-type", "application/json");
        headers.forEach(options::putHeader);
        if (signature != null) {
            options.putHeader(Signature.HEADER, signature.header(Math.floorDiv(clock.nowMillis(), 1000), body));
        }

        Promise<Answer> result = Promise.promise();
        if (Vertx.currentContext() == context) {
            exchange(options, body, result);
        } else {
            context.runOnContext(v -> exchange(options, body, result));
        }
        return result.future();
    }

    /** Runs on {@link #context}. */
    private void exchange(RequestOptions options, byte[] body, Promise<Answer> result) {
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (result.tryFail(new TimeoutException("no answer from " + url + " within " + timeoutMs + " ms"))) {
                HttpClientRequest late = request.get();
                if (late != null) {
                    late.reset();
                }
            }
        });
        client.request(options)
                .compose(req -> {
                    request.set(req);
                    // The deadline may have passed while waiting for a connection.
                    if (result.future().isComplete()) {
                        req.reset();
                        return Future.failedFuture(new TimeoutException("timed out before sending"));
                    }
                    // body() nested inside send(): chained after it, the body could arrive before
                    // its handler is set and be lost (eclipse-vertx/vert.x#4705).
                    return req.send(Buffer.buffer(body))
                            .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer)));
                })
                .onComplete(outcome -> {
                    vertx.cancelTimer(timer);
                    if (outcome.succeeded()) {
                        result.tryComplete(outcome.result());
                    } else {
                        result.tryFail(outcome.cause());
                    }
                });
    }

    public String url() {
        return url;
    }

    /** Closes pooled connections; requests in flight fail. */
    public Future<Void> close() {
        return client.close();
    }
}
