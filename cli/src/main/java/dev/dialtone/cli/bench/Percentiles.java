package dev.dialtone.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds and their percentiles. Not thread-safe. */
final class Percentiles {
    private long[] samples = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The {@code p}-th percentile (0–100) in milliseconds, nearest-rank; NaN when empty. */
    double millis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }

    /** "p50 1.23 ms, p90 …" for the final table. */
    String summary() {
        return String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms",
                millis(50), millis(90), millis(99), millis(99.9), millis(100));
    }
}
