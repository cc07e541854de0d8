package dev.dialtone.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.core.Clock;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.util.LogThrottle;
import dev.dialtone.server.webhooks.SignedPost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-call hook over HTTP: POSTs the request, with {@code "action"} added, to the configured
 * URL and reads the verdict from the answer (both styles: see {@link HookAnswer}).
 *
 * <pre>
 * POST {url}
 * content-type: application/json
 * Dialtone-Signature: t=1718000000,v1=…        (when a secret is configured)
 *
 * {"action":"call.invite","user":"alice","device":"laptop","session":"s-…","to":["bob"],"media":"video",…}
 *
 * 200 {"allow":true}
 * 200 {"allow":false,"code":"CARD_EXPIRED","message":"Your card has expired"}
 * 200 {"code":0}   /   200 {"code":1002,"message":"…"}
 * </pre>
 *
 * A non-2xx status, an unreadable answer, no full answer within {@code timeoutMs}, or no
 * connection is a <em>hook failure</em>: failing open allows (with a warning, at most one line per
 * 10 s), failing closed denies with no hook code and a message saying the business server is
 * unavailable.
 *
 * <p>Metrics: timer {@code dialtone.hook.latency} (tag {@code action}), counter
 * {@code dialtone.hook.verdicts} (tags {@code action}, {@code verdict} =
 * {@code allow | deny | failed_open | failed_closed}).
 *
 * <p>Thread-safe and non-blocking: {@link #check} serializes and signs the request on the
 * caller's thread and returns; the HTTP exchange runs on one Vert.x event-loop context (taken when
 * the hook is created) and the future completes there, so dependent stages must not block. The
 * class holds no mutable state besides its meters and the log throttle.
 */
public final class HttpPreCallHook implements PreCallHook {
    private static final Logger log = LoggerFactory.getLogger(HttpPreCallHook.class);

    /** Hook calls in flight share connections; more wait for one inside their own deadline. */
    private static final int POOL_SIZE = 64;

    static final String TIMEOUT_MESSAGE = "The business server did not answer in time; please try again later.";
    static final String UNAVAILABLE_MESSAGE = "The business server is unavailable; please try again later.";

    private enum Outcome {
        ALLOW("allow"), DENY("deny"), FAILED_OPEN("failed_open"), FAILED_CLOSED("failed_closed");

        final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    private final HookConfig config;
    private final SignedPost post;
    private final Map<String, Timer> latency = new HashMap<>();
    private final Map<String, Map<Outcome, Counter>> verdicts = new HashMap<>();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofSeconds(10));

    public HttpPreCallHook(Vertx vertx, HookConfig config, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        if (!config.enabled()) {
            throw new IllegalArgumentException("no hook URL configured: use PreCallHook.ALLOW_ALL");
        }
        this.post = new SignedPost(vertx, config.url(), config.timeoutMs(), config.secret(), POOL_SIZE, Clock.system());
        // Registered up front, so the maps are read-only afterwards and dashboards see zeros.
        for (String action : ACTIONS) {
            latency.put(action, Timer.builder("dialtone.hook.latency")
                    .description("Time the pre-call hook took to give a verdict, failures included")
                    .tag("action", action)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMillis(HookConfig.MAX_TIMEOUT_MS))
                    .register(registry));
            Map<Outcome, Counter> byOutcome = new java.util.EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("dialtone.hook.verdicts")
                        .description("Pre-call hook verdicts")
                        .tag("action", action)
                        .tag("verdict", outcome.tag)
                        .register(registry));
            }
            verdicts.put(action, byOutcome);
        }
    }

    @Override
    public boolean asks(String action) {
        return ACTIONS.contains(action) && (!CALL_HOLD.equals(action) || config.askOnHold());
    }

    @Override
    public CompletableFuture<HookVerdict> check(String action, ObjectNode request) {
        PreCallHook.requireAction(action);
        if (!asks(action)) {
            return CompletableFuture.completedFuture(HookVerdict.allow());
        }
        byte[] body = body(action, request);
        long started = System.nanoTime();
        CompletableFuture<HookVerdict> verdict = new CompletableFuture<>();
        post.post(body, Map.of()).onComplete(outcome -> {
            HookVerdict result;
            if (outcome.failed()) {
                result = failed(action, outcome.cause() instanceof TimeoutException, describe(outcome.cause()));
            } else if (!outcome.result().ok()) {
                result = failed(action, false, "HTTP " + outcome.result().status());
            } else {
                try {
                    result = HookAnswer.parse(outcome.result().body().getBytes());
                    count(action, result instanceof HookVerdict.Allow ? Outcome.ALLOW : Outcome.DENY);
                } catch (HookAnswer.Unreadable e) {
                    result = failed(action, false, e.getMessage());
                }
            }
            latency.get(action).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            verdict.complete(result);
        });
        return verdict;
    }

    private HookVerdict failed(String action, boolean timedOut, String why) {
        String mode = config.failOpen() ? "allowing (fail-open)" : "denying (fail-closed)";
        failureLog.warn(log, "pre-call hook {} for {} failed: {}; {}", post.url(), action, why, mode);
        if (config.failOpen()) {
            count(action, Outcome.FAILED_OPEN);
            return HookVerdict.allow();
        }
        count(action, Outcome.FAILED_CLOSED);
        return HookVerdict.deny(null, timedOut ? TIMEOUT_MESSAGE : UNAVAILABLE_MESSAGE);
    }

    private void count(String action, Outcome outcome) {
        verdicts.get(action).get(outcome).increment();
    }

    private static byte[] body(String action, ObjectNode request) {
        ObjectNode body = WireCodec.get().mapper().createObjectNode();
        body.put("action", action);
        if (request != null) {
            body.setAll(request);
            body.put("action", action); // the request cannot override what is being asked
        }
        try {
            return WireCodec.get().mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        post.close();
    }

    @Override
    public String toString() {
        return "HttpPreCallHook[" + config + "]";
    }
}
