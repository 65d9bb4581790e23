package org.careline.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies (nanoseconds in, milliseconds out), nearest-rank: the p-th percentile is the
 * smallest sample at least p % of the samples are at or below. Pure.
 */
public record LatencyStats(int count, double p50Millis, double p99Millis, double maxMillis) {

    public static final LatencyStats NONE = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN);

    public static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
                millis(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile of an ascending array: element ceil(p/100 * n) (1-based). */
    static long percentile(long[] ascending, double p) {
        if (ascending.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(0, Math.min(ascending.length - 1, rank - 1))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
