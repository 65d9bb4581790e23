package org.careline.send;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Retry delays: exponential, capped, with jitter so queued retries do not all fire in the same instant. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The delay before retry number {@code attempt}: {@code base * 2^(attempt-1)} capped at {@code max}, then
     * multiplied by a random factor in {@code [1 - jitterFraction, 1]}.
     *
     * @param attempt        1 for the first retry
     * @param jitterFraction how much of the delay may be taken off at random, 0 to 1
     */
    public static Duration delay(int attempt, Duration base, Duration max, double jitterFraction,
                                 RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("base and max must not be negative");
        }
        if (!(jitterFraction >= 0 && jitterFraction <= 1)) {
            throw new IllegalArgumentException("jitterFraction must be within [0, 1], got " + jitterFraction);
        }
        Duration delay = max;
        if (attempt - 1 < Long.SIZE - 1) {
            try {
                Duration exponential = base.multipliedBy(1L << (attempt - 1));
                if (exponential.compareTo(max) < 0) {
                    delay = exponential;
                }
            } catch (ArithmeticException overflow) {
                // far beyond max anyway
            }
        }
        if (jitterFraction == 0) {
            return delay;
        }
        double factor = 1 - jitterFraction * random.nextDouble(); // nextDouble is in [0, 1)
        return Duration.ofNanos(Math.round(delay.toNanos() * factor));
    }
}
