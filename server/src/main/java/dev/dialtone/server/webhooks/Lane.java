package dev.dialtone.server.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sequential delivery lane. Its events wait in publish order and go out one at a time: the
 * head is retried until it is acknowledged or runs out of attempts, and only then does the next
 * one go, so the events of a key (which always maps to the same lane) arrive in order. The lane
 * also numbers each key's events ({@code seq}) and forgets a key once it is marked done and has
 * nothing left queued.
 *
 * <p>Threading: {@link #publish} and {@link #done} are called from any thread (the call
 * executors); deliveries complete, and retries fire, on the {@link SignedPost}'s event-loop
 * context (publishers only hand the request over to it). The queue, the key
 * counters and the {@code sending} flag are guarded by this lane's monitor, held only for a few
 * field updates (and serializing one envelope), never across I/O; so publishers never wait for the
 * network.
 */
final class Lane {
    private static final Logger log = LoggerFactory.getLogger(Lane.class);

    enum Published { QUEUED, QUEUE_FULL, SHUTDOWN }

    /** A key's counter; forgotten when {@code done} and nothing of it is queued. */
    private static final class KeyState {
        long lastSeq;
        int queued;
        boolean done;
    }

    private final Vertx vertx;
    private final SignedPost post;
    private final Envelopes envelopes;
    private final Backlog backlog;
    private final Backoff backoff;
    private final int maxAttempts;
    private final WebhookMeters meters;

    // Guarded by this.
    private final ArrayDeque<WebhookEvent> queue = new ArrayDeque<>();
    private final Map<String, KeyState> keys = new HashMap<>();
    private boolean sending;
    private boolean closed;

    Lane(Vertx vertx, SignedPost post, Envelopes envelopes, Backlog backlog, Backoff backoff, int maxAttempts,
         WebhookMeters meters) {
        this.vertx = vertx;
        this.post = post;
        this.envelopes = envelopes;
        this.backlog = backlog;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.meters = meters;
    }

    /**
     * Numbers and queues an event, and starts sending if the lane is idle. An event that does not
     * fit still uses up its {@code seq}, so the receiver sees the gap.
     */
    Published publish(String key, String type, ObjectNode data) {
        synchronized (this) {
            if (closed) {
                return Published.SHUTDOWN;
            }
            KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
            long seq = ++state.lastSeq;
            if (!backlog.tryAdd()) {
                forgetIfFinished(key, state);
                return Published.QUEUE_FULL;
            }
            WebhookEvent event;
            try {
                event = envelopes.create(key, type, seq, data);
            } catch (RuntimeException e) {
                backlog.remove(1);
                forgetIfFinished(key, state);
                throw e;
            }
            state.queued++;
            queue.addLast(event);
        }
        pump();
        return Published.QUEUED;
    }

    synchronized void done(String key) {
        KeyState state = keys.get(key);
        if (state != null) {
            state.done = true;
            forgetIfFinished(key, state);
        }
    }

    /**
     * Stops the lane: nothing more is sent or retried, and what is queued (the event in flight
     * included) is discarded. Returns how many events were discarded; the caller gives back their
     * places in the backlog and counts them.
     */
    synchronized int abandon() {
        closed = true;
        int discarded = queue.size();
        queue.clear();
        keys.clear();
        return discarded;
    }

    /** Sends the head of the queue unless one is already on its way. */
    private void pump() {
        WebhookEvent next;
        synchronized (this) {
            if (sending || closed || queue.isEmpty()) {
                return;
            }
            sending = true;
            next = queue.peekFirst();
        }
        attempt(next, 1);
    }

    private void attempt(WebhookEvent event, int attempt) {
        if (isClosed()) {
            return;
        }
        Future<SignedPost.Answer> sent;
        try {
            sent = post.post(event.body(), Map.of(
                    "Dialtone-Event-Id", event.id(),
                    "Dialtone-Event-Type", event.type()));
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(outcome -> {
            try {
                attempted(event, attempt, outcome);
            } catch (RuntimeException e) {
                // A bug here must not leave the lane "sending" forever with nothing in flight.
                log.error("webhook {} for {}: unexpected failure; dropping it", event.id(), event.key(), e);
                settle(event, DropReason.ATTEMPTS_EXHAUSTED);
                next();
            }
        });
    }

    /** After an attempt: done, given up, or retried after a backoff. */
    private void attempted(WebhookEvent event, int attempt, AsyncResult<SignedPost.Answer> outcome) {
        if (outcome.succeeded() && outcome.result().ok()) {
            settle(event, null);
            next();
            return;
        }
        String why = outcome.failed() ? describe(outcome.cause()) : "HTTP " + outcome.result().status();
        if (attempt >= maxAttempts) {
            if (settle(event, DropReason.ATTEMPTS_EXHAUSTED)) {
                log.error("webhook {} {} for {} (seq {}) dropped after {} attempts; last failure: {}",
                        event.id(), event.type(), event.key(), event.seq(), attempt, why);
            }
            next();
            return;
        }
        if (isClosed()) {
            return;
        }
        meters.retried();
        long delay = backoff.delayMs(attempt);
        log.debug("webhook {} attempt {} failed ({}); retrying in {} ms", event.id(), attempt, why, delay);
        vertx.setTimer(delay, id -> attempt(event, attempt + 1));
    }

    /**
     * Removes a finished head from the queue and counts it: delivered when {@code dropped} is null.
     * False if the lane was abandoned meanwhile (the event was already counted as dropped at
     * shutdown). The backlog place is given back last, so that {@code flush} never returns before
     * the meters are up to date.
     */
    private boolean settle(WebhookEvent event, DropReason dropped) {
        synchronized (this) {
            if (queue.peekFirst() != event) {
                return false;
            }
            queue.pollFirst();
            sending = false;
            KeyState state = keys.get(event.key());
            if (state != null) {
                state.queued--;
                forgetIfFinished(event.key(), state);
            }
        }
        if (dropped == null) {
            meters.delivered(event);
        } else {
            meters.dropped(dropped, 1);
        }
        backlog.remove(1);
        return true;
    }

    /**
     * Sends the next event from a fresh stack: a run of deliveries that fail at once (a closed
     * client) would otherwise recurse once per queued event.
     */
    private void next() {
        vertx.runOnContext(v -> pump());
    }

    // Guarded by this.
    private void forgetIfFinished(String key, KeyState state) {
        if (state.done && state.queued == 0) {
            keys.remove(key);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Keys with a live counter, for tests of the forgetting. */
    synchronized int trackedKeys() {
        return keys.size();
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
