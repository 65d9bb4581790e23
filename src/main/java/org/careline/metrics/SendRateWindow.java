package org.careline.metrics;

import java.time.Instant;

/**
 * Messages sent per second over the last {@link #SECONDS} seconds, for comparing with the send-rate cap: a ring of
 * one-second buckets, each stamped with the second it counts, so a bucket from an earlier lap of the ring is
 * recognised as stale and counts nothing. Prometheus can compute a rate from the counter too, but only over its
 * scrape interval; this gauge shows the engine's own view at the cap's timescale.
 */
public final class SendRateWindow {

    public static final int SECONDS = 60;

    /** One slot more than the window: the second under way never overwrites the window's oldest. */
    private static final int SLOTS = SECONDS + 1;
    private final long[] seconds = new long[SLOTS];
    private final long[] counts = new long[SLOTS];

    public synchronized void record(Instant at) {
        long second = at.getEpochSecond();
        int i = (int) Math.floorMod(second, (long) SLOTS);
        if (seconds[i] != second) {
            seconds[i] = second;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** Sends per second over the {@link #SECONDS} whole seconds before {@code now} (the current one unfinished). */
    public synchronized double perSecond(Instant now) {
        long current = now.getEpochSecond();
        long sum = 0;
        for (int i = 0; i < SLOTS; i++) {
            long age = current - seconds[i];
            if (age >= 1 && age <= SECONDS) {
                sum += counts[i];
            }
        }
        return sum / (double) SECONDS;
    }
}
