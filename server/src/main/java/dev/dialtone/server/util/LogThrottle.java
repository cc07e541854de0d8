package dev.dialtone.server.util;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Lets one log line through per interval and counts the ones it held back, so that a business
 * server that is down for an hour gives a handful of warnings, not one per call. Thread-safe,
 * lock-free.
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.nextAllowed = new AtomicLong(System.nanoTime());
    }

    /**
     * Logs a warning unless one was logged less than an interval ago; the line that gets through
     * says how many were held back since the last one.
     */
    public void warn(Logger log, String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        if (log.isWarnEnabled()) {
            log.warn(held == 0 ? format : format + " (" + held + " similar warnings suppressed)", args);
        }
    }
}
