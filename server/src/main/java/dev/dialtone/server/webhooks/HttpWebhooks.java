package dev.dialtone.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.core.Clock;
import dev.dialtone.server.util.LogThrottle;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event webhooks over HTTP: each event is POSTed to the configured URL as
 *
 * <pre>
 * POST {url}
 * content-type: application/json
 * Dialtone-Event-Id: evt_3q2-7wHTxN0bJ1sTk4dWQA        (the same on every retry: dedupe by it)
 * Dialtone-Event-Type: call.ended
 * Dialtone-Signature: t=1718000000,v1=…                (made per attempt, so retries stay fresh)
 *
 * {"id":"evt_3q2-7wHTxN0bJ1sTk4dWQA","type":"call.ended","key":"c-…","seq":3,
 *  "createdAt":1718000000123,"data":{…}}
 * </pre>
 *
 * and counts as delivered on any 2xx. Delivery runs in {@code lanes} independent lanes
 * ({@link Lane}); a key always maps to the same lane, which sends one event at a time, so the
 * events of a key arrive in publish order with {@code seq} 1, 2, 3… A failed attempt (non-2xx,
 * timeout, no connection) is retried after {@code initialBackoffMs·2^n} (capped at
 * {@code maxBackoffMs}, jittered) up to {@code maxAttempts}; then the event is dropped, logged and
 * counted, and the key's later events follow. At most {@code queueLimit} events wait in total;
 * beyond that {@link #publish} drops (counted, and warned at most once per 10 s). A dropped event
 * leaves a gap in its key's {@code seq}.
 *
 * <p>Per-key counters are forgotten after {@link #done(String)} once the key's queued events are
 * settled (see {@link Webhooks#done}); call it after {@code call.ended} and after a room closes.
 *
 * <p>Threading: {@link #publish} and {@link #done} may be called from any thread and never block
 * (each takes one lane's monitor for a few field updates); deliveries run on Vert.x event loops;
 * {@link #flush} and {@link #close} block their caller.
 */
public final class HttpWebhooks implements Webhooks {
    private static final Logger log = LoggerFactory.getLogger(HttpWebhooks.class);

    private final SignedPost post;
    private final Backlog backlog;
    private final WebhookMeters meters;
    private final Lane[] lanes;
    private final LogThrottle dropLog = new LogThrottle(Duration.ofSeconds(10));
    private final AtomicBoolean closing = new AtomicBoolean();

    public HttpWebhooks(Vertx vertx, WebhookConfig config, MeterRegistry registry, Clock clock) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(clock, "clock");
        if (!config.enabled()) {
            throw new IllegalArgumentException("no webhook URL configured: use Webhooks.NONE");
        }
        // One connection per lane: a lane never has more than one request in flight.
        this.post = new SignedPost(vertx, config.url(), config.timeoutMs(), config.secret(), config.lanes(), clock);
        this.backlog = new Backlog(config.queueLimit());
        this.meters = new WebhookMeters(registry, backlog);
        Envelopes envelopes = new Envelopes(clock);
        Backoff backoff = new Backoff(config.initialBackoffMs(), config.maxBackoffMs());
        this.lanes = new Lane[config.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(vertx, post, envelopes, backlog, backoff, config.maxAttempts(), meters);
        }
    }

    @Override
    public void publish(String key, String type, ObjectNode data) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Lane.Published result = closing.get() ? Lane.Published.SHUTDOWN : lane(key).publish(key, type, data);
        switch (result) {
            case QUEUED -> { }
            case QUEUE_FULL -> {
                meters.dropped(DropReason.QUEUE_FULL, 1);
                dropLog.warn(log, "webhook queue full ({} events): {} for {} dropped", backlog.size(), type, key);
            }
            case SHUTDOWN -> {
                meters.dropped(DropReason.SHUTDOWN, 1);
                dropLog.warn(log, "webhooks are closed: {} for {} dropped", type, key);
            }
        }
    }

    @Override
    public void done(String key) {
        lane(Objects.requireNonNull(key, "key")).done(key);
    }

    @Override
    public boolean flush(Duration timeout) {
        return backlog.awaitEmpty(timeout);
    }

    @Override
    public void close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        backlog.awaitEmpty(timeout);
        int dropped = 0;
        for (Lane lane : lanes) {
            dropped += lane.abandon();
        }
        backlog.remove(dropped);
        meters.dropped(DropReason.SHUTDOWN, dropped);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        if (dropped == 0) {
            log.info("webhooks closed after {} ms, every queued event delivered", tookMs);
        } else {
            log.warn("webhooks closed after {} ms: {} undelivered events dropped", tookMs, dropped);
        }
        post.close();
    }

    /** Events queued or in flight. */
    public int pending() {
        return backlog.size();
    }

    /** Keys whose {@code seq} counter is still kept, over all lanes (to check that keys are forgotten). */
    int trackedKeys() {
        int total = 0;
        for (Lane lane : lanes) {
            total += lane.trackedKeys();
        }
        return total;
    }

    private Lane lane(String key) {
        int hash = key.hashCode();
        // Mix the high bits in: keys that differ only at their end should still spread over lanes.
        return lanes[Math.floorMod(hash ^ (hash >>> 16), lanes.length)];
    }
}
