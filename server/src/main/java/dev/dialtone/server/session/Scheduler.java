package dev.dialtone.server.session;

/** Runs a task later; the server backs it with {@code TimerScheduler}, one thread of timers. */
@FunctionalInterface
public interface Scheduler {
    /** Returns a handle for {@link #cancel}. */
    long schedule(long delayMs, Runnable task);

    default void cancel(long handle) {
    }
}
