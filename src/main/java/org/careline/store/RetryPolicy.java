package org.careline.store;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a work queue retries an item: exponential delays from {@code base}, capped at {@code max}, with jitter so
 * queued retries do not all fire in the same instant; and after how many attempts it gives up.
 *
 * @param base        the delay before the first retry
 * @param max         the longest delay
 * @param maxAttempts attempts after which an item is not retried again ({@link #exhausted})
 * @param jitter      how much of a delay may be taken off at random, 0 to 1
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts, double jitter) {

    /** The longest a server's Retry-After answer can hold an item back. */
    public static final Duration RETRY_AFTER_MAX = Duration.ofHours(1);

    /** Retried until it succeeds, never given up: the queue's items need an answer, not a dead letter. */
    public static RetryPolicy untilDone(Duration base, Duration max) {
        return new RetryPolicy(base, max, Integer.MAX_VALUE, 0.5);
    }

    /** Whether an item that has been tried {@code attempts} times (the failed one counted) is not to be retried. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /**
     * The delay before retry number {@code attempt}: {@code base * 2^(attempt-1)} capped at {@code max}, then
     * multiplied by a random factor in {@code [1 - jitter, 1]}. The arguments are checked here, when a retry is
     * due, not when the policy is made: a setting out of range fails the retry, not the start.
     *
     * @param attempt 1 for the first retry
     */
    public Duration delay(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("base and max must not be negative");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
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
        if (jitter == 0) {
            return delay;
        }
        double factor = 1 - jitter * random.nextDouble(); // nextDouble is in [0, 1)
        return Duration.ofNanos(Math.round(delay.toNanos() * factor));
    }

    /**
     * The delay before retry number {@code attempt} when the server said when to come back ({@code retryAfter},
     * or null): never sooner than that, as sooner would only be refused again, but at most
     * {@link #RETRY_AFTER_MAX}.
     */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        Duration delay = delay(attempt, random);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(RETRY_AFTER_MAX) > 0 ? RETRY_AFTER_MAX : retryAfter;
        }
        return delay;
    }
}
