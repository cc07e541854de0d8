package dev.dialtone.client.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} and clock that move only when the test says so. */
final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new ArrayList<>();
    private long nowMs;
    private long order;

    private static final class Task implements Cancellable {
        final long dueMs;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(long dueMs, long order, Runnable runnable) {
            this.dueMs = dueMs;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMs) {
        Task scheduled = new Task(nowMs + delayMs, order++, task);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Monotonic nanoseconds for the client. */
    long nanoTime() {
        synchronized (this) {
            return nowMs * 1_000_000;
        }
    }

    /** Moves time forward, running every task that falls due, in time order. */
    void advance(long ms) {
        long target;
        synchronized (this) {
            target = nowMs + ms;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.cancelled && t.dueMs <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.dueMs).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next == null) {
                    nowMs = target;
                    return;
                }
                tasks.remove(next);
                nowMs = Math.max(nowMs, next.dueMs);
            }
            next.runnable.run();
        }
    }

    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
