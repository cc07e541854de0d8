package dev.dialtone.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.core.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Tells the business server what happened ({@code call.ended}, {@code room.closed}…), after the
 * fact and at least once. Events of one key (a call id, or {@code room:<name>}) arrive strictly in
 * publish order, each with a per-key {@code seq}; a gap in {@code seq} means an event was dropped.
 *
 * <p>Implementations are thread-safe and {@link #publish} never blocks: it is called from the
 * call executors.
 */
public interface Webhooks {

    /** Webhooks off: every call is a no-op. */
    Webhooks NONE = new Webhooks() {
        @Override
        public void publish(String key, String type, ObjectNode data) {
        }

        @Override
        public void done(String key) {
        }

        @Override
        public boolean flush(Duration timeout) {
            return true;
        }

        @Override
        public void close(Duration timeout) {
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String toString() {
            return "Webhooks.NONE";
        }
    };

    /** False for {@link #NONE}: callers skip building events nobody receives. */
    default boolean enabled() {
        return true;
    }

    /**
     * Queues an event. {@code data} is read before this returns, so the caller may reuse it.
     *
     * @param key  a call id or {@code room:<name>}: events with the same key are delivered one after
     *             another, in the order of these calls
     * @param type the event type, e.g. {@code call.ended}
     * @param data the event's payload; null is sent as {@code {}}
     */
    void publish(String key, String type, ObjectNode data);

    /**
     * Says that {@code key} will have no more events (after {@code call.ended}, or when the room
     * closed): once its queued events are delivered (or dropped), its {@code seq} counter is
     * forgotten. Events published for the key in the meantime still go out in order; a publish
     * after the key was forgotten starts a new sequence at 1. A key that is never marked done
     * keeps its counter (a few dozen bytes) until shutdown.
     */
    void done(String key);

    /**
     * Waits until every queued event is delivered or dropped, at most {@code timeout}. Blocks the
     * calling thread: never call it on an event loop.
     *
     * @return true if nothing is left queued
     */
    boolean flush(Duration timeout);

    /**
     * Stops taking events (later publishes are dropped, reason {@code shutdown}), delivers what is
     * queued while {@code timeout} allows, then drops and logs the rest and closes connections.
     * Blocks like {@link #flush}.
     */
    void close(Duration timeout);

    /** The HTTP webhooks when {@code config} has a URL, otherwise {@link #NONE}. */
    static Webhooks create(Vertx vertx, WebhookConfig config, MeterRegistry registry, Clock clock) {
        return config.enabled() ? new HttpWebhooks(vertx, config, registry, clock) : NONE;
    }
}
