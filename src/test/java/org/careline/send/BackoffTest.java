package org.careline.send;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofMinutes(30);

    @Test
    void withoutJitterDoublesUpToMax() {
        Random random = new Random(1);
        assertThat(Backoff.delay(1, BASE, MAX, 0, random)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.delay(2, BASE, MAX, 0, random)).isEqualTo(Duration.ofSeconds(60));
        assertThat(Backoff.delay(3, BASE, MAX, 0, random)).isEqualTo(Duration.ofSeconds(120));
        assertThat(Backoff.delay(6, BASE, MAX, 0, random)).isEqualTo(Duration.ofSeconds(960));
        assertThat(Backoff.delay(7, BASE, MAX, 0, random)).isEqualTo(MAX);
        assertThat(Backoff.delay(64, BASE, MAX, 0, random)).isEqualTo(MAX);
        assertThat(Backoff.delay(Integer.MAX_VALUE, BASE, MAX, 0, random)).isEqualTo(MAX);
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
                assertThat(Backoff.delay(attempt, BASE, MAX, 0.25, random)).isBetween(floor, ceiling);
            }
        }
    }

    @Test
    void jitterActuallyVaries() {
        Random random = new Random(7);
        assertThat(java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> Backoff.delay(3, BASE, MAX, 0.5, random)).distinct().count()).isGreaterThan(40);
    }

    @Test
    void sameSeedSameDelays() {
        assertThat(Backoff.delay(4, BASE, MAX, 0.3, new Random(99)))
                .isEqualTo(Backoff.delay(4, BASE, MAX, 0.3, new Random(99)));
    }

    @Test
    void fullJitterCanReachZeroButNotExceedDelay() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            assertThat(Backoff.delay(2, BASE, MAX, 1, random)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
        }
    }

    @Test
    void rejectsBadArguments() {
        Random random = new Random(1);
        assertThatThrownBy(() -> Backoff.delay(0, BASE, MAX, 0.1, random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.delay(1, BASE, MAX, 1.5, random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.delay(1, BASE, MAX, Double.NaN, random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.delay(1, BASE.negated(), MAX, 0.1, random)).isInstanceOf(IllegalArgumentException.class);
    }
}
