package dev.dialtone.server.webhooks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the events queued over all lanes and enforces the queue limit, without a lock on the
 * publish path; {@link #awaitEmpty} lets shutdown wait for it to drain. Thread-safe.
 */
final class Backlog {
    private final int limit;
    private final AtomicInteger size = new AtomicInteger();
    private final Object drained = new Object();

    Backlog(int limit) {
        this.limit = limit;
    }

    /** Takes a place for one event; false when the limit is reached. */
    boolean tryAdd() {
        while (true) {
            int current = size.get();
            if (current >= limit) {
                return false;
            }
            if (size.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back the places of {@code count} events that were delivered or dropped. */
    void remove(int count) {
        if (count > 0 && size.addAndGet(-count) == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    int size() {
        return size.get();
    }

    /** Blocks until nothing is queued or {@code timeout} passed; true when empty. */
    boolean awaitEmpty(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (size.get() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return size.get() == 0;
                }
            }
            return true;
        }
    }
}
