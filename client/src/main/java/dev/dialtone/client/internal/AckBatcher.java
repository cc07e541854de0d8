package dev.dialtone.client.internal;

import java.util.function.LongPredicate;

/**
 * Acknowledges processed events so that the server can trim its replay buffer: at once when
 * {@link #BATCH} events are unacknowledged, otherwise at most {@link #DELAY_MS} after the first
 * unacknowledged one; {@link #now} right after a resume's replay.
 *
 * <p>Not thread-safe: guarded by ClientCore's lock; its scheduler runs tasks under that lock.
 */
final class AckBatcher {
    /** Acknowledge at the latest after this many events … */
    static final int BATCH = 16;
    /** … or this long after the first unacknowledged one. */
    static final long DELAY_MS = 1_000;

    private final Scheduler scheduler;
    /** Sends {@code ack} for a seq; false when there is no signed-in connection to send it on. */
    private final LongPredicate send;

    private long generation;
    private Scheduler.Cancellable timer;

    /** @param scheduler runs tasks under ClientCore's lock */
    AckBatcher(Scheduler scheduler, LongPredicate send) {
        this.scheduler = scheduler;
        this.send = send;
    }

    /** After each processed event of {@code session}. */
    void processed(SessionState session) {
        if (session.unacked() >= BATCH) {
            now(session);
        } else if (timer == null && session.unacked() > 0) {
            long scheduled = generation;
            timer = scheduler.schedule(() -> {
                if (scheduled == generation) {
                    timer = null;
                    now(session);
                }
            }, DELAY_MS);
        }
    }

    /** Acknowledges everything processed, if anything is new. */
    void now(SessionState session) {
        stop();
        long seq = session.lastSeq();
        if (seq > session.ackedSeq() && send.test(seq)) {
            session.acked(seq);
        }
    }

    /** Cancels a pending ack (the connection is gone). */
    void stop() {
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
