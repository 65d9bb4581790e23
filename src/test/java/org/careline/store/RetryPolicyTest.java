package org.careline.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofMinutes(30);

    private static RetryPolicy policy(double jitter) {
        return new RetryPolicy(BASE, MAX, 8, jitter);
    }

    @ParameterizedTest(name = "retry {0} waits {1} s")
    @CsvSource({
            "1, 30",
            "2, 60",
            "3, 120",
            "6, 960",
            "7, 1800",
            "64, 1800",
            "2147483647, 1800",
    })
    void withoutJitterDoublesUpToMax(int attempt, long seconds) {
        assertThat(policy(0).delay(attempt, new Random(1))).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "attempt {0} of 8: exhausted {1}")
    @CsvSource({"1, false", "7, false", "8, true", "9, true"})
    void givesUpOnceTheAttemptsReachTheMaximum(int attempts, boolean exhausted) {
        assertThat(policy(0.5).exhausted(attempts)).isEqualTo(exhausted);
    }

    @Test
    void untilDoneIsNeverExhausted() {
        assertThat(RetryPolicy.untilDone(BASE, MAX).exhausted(Integer.MAX_VALUE - 1)).isFalse();
        assertThat(RetryPolicy.untilDone(BASE, MAX).jitter()).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "Retry-After {1} s on retry {0} waits {2} s")
    @CsvSource({
            // The backoff's delay when the server asks for less (or nothing)...
            "1, , 30",
            "1, 10, 30",
            "3, 120, 120",
            // ...the server's when it asks for more, up to an hour.
            "1, 90, 90",
            "7, 3000, 3000",
            "7, 7200, 3600",
    })
    void aRetryAfterAnswerIsAFloorOfAtMostAnHour(int attempt, Long retryAfterSeconds, long seconds) {
        Duration retryAfter = retryAfterSeconds == null ? null : Duration.ofSeconds(retryAfterSeconds);
        assertThat(policy(0).delay(attempt, retryAfter, new Random(1))).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void jitterStaysWithinBounds() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 20; attempt++) {
            Duration ceiling = BASE.multipliedBy(1L << Math.min(attempt - 1, 20));
            if (ceiling.compareTo(MAX) > 0) {
                ceiling = MAX;
            }
            Duration floor = Duration.ofNanos((long) (ceiling.toNanos() * 0.75));
            for (int i = 0; i < 200; i++) {
                assertThat(policy(0.25).delay(attempt, random)).isBetween(floor, ceiling);
            }
        }
    }

    @Test
    void jitterActuallyVaries() {
        Random random = new Random(7);
        assertThat(java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> policy(0.5).delay(3, random)).distinct().count()).isGreaterThan(40);
    }

    @Test
    void sameSeedSameDelays() {
        assertThat(policy(0.3).delay(4, new Random(99))).isEqualTo(policy(0.3).delay(4, new Random(99)));
    }

    @Test
    void fullJitterCanReachZeroButNotExceedDelay() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            assertThat(policy(1).delay(2, random)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
        }
    }

    @ParameterizedTest(name = "attempt {0}, base {1} s, jitter {2}")
    @CsvSource({"0, 30, 0.1", "1, 30, 1.5", "1, 30, NaN", "1, -30, 0.1"})
    void rejectsBadArguments(int attempt, long baseSeconds, double jitter) {
        RetryPolicy bad = new RetryPolicy(Duration.ofSeconds(baseSeconds), MAX, 8, jitter);
        assertThatThrownBy(() -> bad.delay(attempt, new Random(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
