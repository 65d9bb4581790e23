package org.careline.bench;

import java.util.Arrays;

/**
 * Counts events in sliding one-second windows, as Meta counts a phone number's sends: the largest number of
 * timestamps that fall within any half-open interval [t, t + 1 s). Pure.
 */
public final class SecondWindows {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private SecondWindows() {
    }

    /** The most timestamps (nanoseconds, any order) inside any one-second window. */
    public static int maxPerSecond(long[] timestampsNanos) {
        long[] t = timestampsNanos.clone();
        Arrays.sort(t);
        int best = 0;
        int from = 0;
        for (int to = 0; to < t.length; to++) {
            while (t[to] - t[from] >= SECOND_NANOS) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }
}
