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

    /**
     * The percentiles in milliseconds, {@code p50 p90 p99 p99.9 max}, for the table and for
     * {@code --json} alike; {@code toString} reads "p50 1.23  p90 … ms".
     */
    Summary summary() {
        return new Summary(count, millis(50), millis(90), millis(99), millis(99.9), millis(100));
    }

    record Summary(int samples, double p50, double p90, double p99,
                   @com.fasterxml.jackson.annotation.JsonProperty("p99.9") double p999, double max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms  (%d samples)",
                    p50, p90, p99, p999, max, samples);
        }
    }
}
