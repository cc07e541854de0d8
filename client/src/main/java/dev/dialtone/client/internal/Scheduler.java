package dev.dialtone.client.internal;

/**
 * One-shot timers (request timeouts, heartbeats, ack batching). Tasks run on a timer thread and
 * must be short; ClientCore's tasks take its lock and return. Replaceable for tests.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delayMs}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, long delayMs);

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        /** Cancels the task if it has not started; harmless afterwards. */
        void cancel();
    }
}
