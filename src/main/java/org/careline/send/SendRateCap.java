package org.careline.send;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Keeps sends from one phone-number id under Meta's throughput limit: never more than {@code perSecond} sends in
 * any sliding one-second window. Callers reserve a slot, wait the returned time, then send.
 */
public class SendRateCap {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final InstantSource clock;
    /** Times of the last {@code perSecond} reserved sends, oldest at {@code next}; null until filled. */
    private final Instant[] ring;
    private int next;
    private Instant latest = Instant.MIN;

    public SendRateCap(int perSecond, InstantSource clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1, got " + perSecond);
        }
        this.ring = new Instant[perSecond];
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reserves the earliest send slot and returns how long to wait for it ({@link Duration#ZERO} to send now).
     * The slot counts as used whether or not the caller then sends.
     */
    public synchronized Duration reserve() {
        Instant now = clock.instant();
        // Never before an earlier reservation, so the ring stays sorted even if the clock steps back.
        Instant at = now.isAfter(latest) ? now : latest;
        Instant oldest = ring[next];
        if (oldest != null && oldest.plus(WINDOW).isAfter(at)) {
            at = oldest.plus(WINDOW); // the send perSecond places back must be a full window earlier
        }
        ring[next] = at;
        next = (next + 1) % ring.length;
        latest = at;
        return Duration.between(now, at);
    }
}
