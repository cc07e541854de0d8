package dev.dialtone.client.internal;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps a signed-in connection alive and notices when it is not: every heartbeat interval it
 * pings, unless no frame at all arrived for two intervals, in which case it reports the silence
 * (the connection counts as lost) and stops.
 *
 * <p>Not thread-safe: guarded by ClientCore's lock; its scheduler runs tasks under that lock.
 */
final class Heartbeat {
    private final Scheduler scheduler;
    private final LongSupplier nanoClock;

    private long generation;
    private Scheduler.Cancellable timer;
    private long lastFrameNanos;

    /** @param scheduler runs tasks under ClientCore's lock */
    Heartbeat(Scheduler scheduler, LongSupplier nanoClock) {
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
    }

    /**
     * Starts beating for a freshly signed-in connection (a frame has just arrived).
     *
     * @param ping sends one ping
     * @param silent called once with the silence in ms when two intervals passed without a frame
     */
    void start(long intervalMs, Runnable ping, LongConsumer silent) {
        stop();
        lastFrameNanos = nanoClock.getAsLong();
        if (intervalMs > 0) {
            schedule(generation, intervalMs, ping, silent);
        }
    }

    /** Any frame from the server counts as a sign of life. */
    void frameArrived() {
        lastFrameNanos = nanoClock.getAsLong();
    }

    void stop() {
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void schedule(long beat, long intervalMs, Runnable ping, LongConsumer silent) {
        timer = scheduler.schedule(() -> {
            if (beat != generation) {
                return;
            }
            timer = null;
            long silentMs = (nanoClock.getAsLong() - lastFrameNanos) / 1_000_000;
            if (silentMs >= 2 * intervalMs) {
                stop();
                silent.accept(silentMs);
            } else {
                ping.run();
                if (beat == generation) {
                    schedule(beat, intervalMs, ping, silent);
                }
            }
        }, intervalMs);
    }
}
