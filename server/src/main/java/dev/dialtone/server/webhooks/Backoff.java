package dev.dialtone.server.webhooks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between delivery attempts: {@code initial·2^(n-1)} before retry {@code n}, capped, then
 * a random point in its upper half, so that lanes that failed together (the receiver restarted)
 * do not all come back in the same millisecond. Stateless.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;

    Backoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /**
     * The wait before retry {@code retry} (1 = the first retry, after the first failed attempt);
     * at least 1 ms, the shortest timer Vert.x accepts.
     */
    long delayMs(int retry) {
        long base = cap(retry);
        long half = base / 2;
        return Math.max(1, half + ThreadLocalRandom.current().nextLong(base - half + 1));
    }

    /** The capped wait before jitter. */
    long cap(int retry) {
        int doublings = Math.min(Math.max(retry - 1, 0), 40); // 2^40 times any initial backoff exceeds the cap
        long base = initialMs << doublings;
        return base <= 0 || base > maxMs ? maxMs : base;
    }
}
