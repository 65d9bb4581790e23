package org.careline.stats;

import java.util.List;

/**
 * Percentiles of answer times (pure), by the nearest-rank method: the p-th percentile of n sorted values is the
 * value at rank ⌈p/100 × n⌉. It is always one of the measured times (no interpolation), so a test can compute it
 * from what it did, and the median of an even count is the lower of the two middle values.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The p-th percentile (1..100) of {@code sorted} (ascending); null when there is no value. */
    public static Long nearestRank(List<Long> sorted, int p) {
        if (p < 1 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " is not in 1..100");
        }
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
