package dev.dialtone.client.internal;

import java.util.function.DoubleSupplier;

/**
 * When to try to resume, and when to give up: the first attempt at once, then after each failed
 * attempt a wait drawn with <em>full jitter</em> from an exponentially growing range
 * ({@code random × min(max, initial × 2^(failures-1))}), until the give-up time, counted from the
 * moment the connection was lost, has passed. {@link #now()} skips the wait (the network changed).
 *
 * <p>Not thread-safe: guarded by ClientCore's lock; its scheduler runs tasks under that lock. A
 * task that was already waiting for the lock when it was cancelled is recognized by its
 * generation and does nothing.
 */
final class Reconnector {

    /** What the reconnector drives. Called under the lock. */
    interface Target {
        /** Start one resume attempt. */
        void attempt();

        /** The give-up time passed. */
        void giveUp();
    }

    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private final long initialMs;
    private final long maxMs;

    private Target target;
    private int failures;
    private long generation;
    private long waitGeneration;
    private Scheduler.Cancellable wait;
    private Scheduler.Cancellable giveUpTimer;

    /**
     * @param scheduler runs tasks under ClientCore's lock
     * @param random uniform values in [0, 1): the jitter (injectable for tests)
     */
    Reconnector(Scheduler scheduler, DoubleSupplier random, long initialMs, long maxMs) {
        this.scheduler = scheduler;
        this.random = random;
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /** A new outage: arms the give-up timer and makes the first attempt at once. */
    void start(long giveUpMs, Target outage) {
        stop();
        target = outage;
        long started = generation;
        giveUpTimer = scheduler.schedule(() -> {
            if (generation == started && target != null) {
                Target expired = target;
                stop();
                expired.giveUp();
            }
        }, giveUpMs);
        outage.attempt();
    }

    /** Whether an outage is being handled. */
    boolean active() {
        return target != null;
    }

    /** Whether it is waiting before the next attempt. */
    boolean waiting() {
        return wait != null;
    }

    /** The last attempt failed: the next one after a backoff wait. Returns the wait in ms. */
    long attemptFailed() {
        if (target == null) {
            return -1;
        }
        failures++;
        long delay = delay(failures);
        cancelWait();
        long scheduled = waitGeneration;
        wait = scheduler.schedule(() -> {
            if (waitGeneration == scheduled && target != null) {
                wait = null;
                target.attempt();
            }
        }, delay);
        return delay;
    }

    /**
     * An attempt succeeded but the outage is not over (the conference resume signed in and now
     * joins its rooms): the backoff starts over, the give-up timer keeps running.
     */
    void succeeded() {
        failures = 0;
        cancelWait();
    }

    /** Skips the wait and attempts now (the network changed). */
    void now() {
        if (target == null) {
            return;
        }
        cancelWait();
        target.attempt();
    }

    /** The outage is over (resumed, failed, closed): cancels every timer. */
    void stop() {
        generation++;
        target = null;
        failures = 0;
        cancelWait();
        if (giveUpTimer != null) {
            giveUpTimer.cancel();
            giveUpTimer = null;
        }
    }

    /** The wait after {@code failures} failed attempts: full jitter over an exponential range. */
    long delay(int failures) {
        long cap = maxMs;
        if (failures - 1 < 62 && initialMs <= (maxMs >> (failures - 1))) {
            cap = initialMs << (failures - 1);
        }
        double r = random.getAsDouble();
        if (!(r >= 0)) {
            r = 0;
        }
        return Math.min(cap, (long) (Math.min(r, 1.0) * cap));
    }

    private void cancelWait() {
        waitGeneration++;
        if (wait != null) {
            wait.cancel();
            wait = null;
        }
    }
}
