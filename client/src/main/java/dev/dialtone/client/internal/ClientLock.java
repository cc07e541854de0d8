package dev.dialtone.client.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The client's one lock, and what has to happen once it is released: queued callbacks are flushed
 * ({@link EventQueue#flush()}) and deferred actions run (opening a socket, which must not happen
 * under the lock). Every entry point of the client — public methods, transport callbacks, timer
 * tasks — goes through {@link #run} or {@link #call}, so application code never runs under the
 * lock and every state change is made under it.
 *
 * <p>Re-entrant: a nested {@code run} on the thread that holds the lock just runs; the outermost
 * one flushes.
 */
final class ClientLock {
    private static final System.Logger log = System.getLogger(ClientLock.class.getName());

    private final Object monitor = new Object();
    private final EventQueue events;
    /** Guarded by the monitor. */
    private final ArrayDeque<Runnable> afterUnlock = new ArrayDeque<>();

    ClientLock(EventQueue events) {
        this.events = events;
    }

    /** Runs {@code action} under the lock, then flushes callbacks and deferred actions outside it. */
    void run(Runnable action) {
        try {
            synchronized (monitor) {
                action.run();
            }
        } finally {
            released();
        }
    }

    /** Like {@link #run}, with a result. */
    <T> T call(Supplier<T> action) {
        try {
            synchronized (monitor) {
                return action.get();
            }
        } finally {
            released();
        }
    }

    /** Under the lock: runs {@code action} once the lock is released (in the order deferred). */
    void afterUnlock(Runnable action) {
        afterUnlock.add(action);
    }

    /** A scheduler whose tasks run under this lock (through {@link #run}). */
    Scheduler guarded(Scheduler scheduler) {
        return (task, delayMs) -> scheduler.schedule(() -> run(task), delayMs);
    }

    private void released() {
        if (Thread.holdsLock(monitor)) {
            return; // nested: the outermost caller flushes, after releasing the lock
        }
        while (true) {
            events.flush();
            Runnable next;
            synchronized (monitor) {
                next = afterUnlock.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "a deferred Dialtone task failed", e);
            }
        }
    }
}
