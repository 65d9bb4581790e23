package org.careline.send;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendRateCapTest {

    private static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");

    /** A clock the test moves by hand. */
    private static final class FakeClock implements InstantSource {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void burstAtOneInstantIsSpreadOverWindows() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(80, clock);
        List<Instant> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(T0.plus(cap.reserve()));
        }

        assertThat(sends.subList(0, 80)).containsOnly(T0);
        assertThat(sends.subList(80, 160)).containsOnly(T0.plusSeconds(1));
        assertThat(sends.subList(160, 200)).containsOnly(T0.plusSeconds(2));
        assertAtMostPerWindow(sends, 80);
    }

    @Test
    void sendsUnderTheCapNeverWait() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(10, clock);
        for (int i = 0; i < 100; i++) {
            assertThat(cap.reserve()).isEqualTo(Duration.ZERO);
            clock.advance(Duration.ofMillis(100));
        }
    }

    @Test
    void waitCountsFromTheOldestSendInTheWindow() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(3, clock);
        assertThat(cap.reserve()).isEqualTo(Duration.ZERO);             // T0
        clock.advance(Duration.ofMillis(400));
        assertThat(cap.reserve()).isEqualTo(Duration.ZERO);             // T0+400
        assertThat(cap.reserve()).isEqualTo(Duration.ZERO);             // T0+400
        clock.advance(Duration.ofMillis(200));                          // now T0+600
        assertThat(cap.reserve()).isEqualTo(Duration.ofMillis(400));    // T0+1000
        assertThat(cap.reserve()).isEqualTo(Duration.ofMillis(800));    // T0+1400
        clock.advance(Duration.ofSeconds(5));
        assertThat(cap.reserve()).isEqualTo(Duration.ZERO);
    }

    @Test
    void irregularTrafficNeverExceedsTheCap() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(80, clock);
        java.util.Random random = new java.util.Random(5);
        List<Instant> sends = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (random.nextInt(4) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(60)));
            }
            Duration wait = cap.reserve();
            assertThat(wait.isNegative()).isFalse();
            sends.add(clock.instant().plus(wait));
        }
        assertThat(sends).isSorted();
        assertAtMostPerWindow(sends, 80);
    }

    @Test
    void clockSteppingBackDoesNotBreakTheCap() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(2, clock);
        List<Instant> sends = new ArrayList<>();
        sends.add(clock.instant().plus(cap.reserve()));
        sends.add(clock.instant().plus(cap.reserve()));
        clock.advance(Duration.ofMillis(-500));
        sends.add(clock.instant().plus(cap.reserve()));
        sends.add(clock.instant().plus(cap.reserve()));
        assertAtMostPerWindow(sends, 2);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new SendRateCap(0, new FakeClock())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendRateCap(1, null)).isInstanceOf(NullPointerException.class);
    }

    /** Windows starting at a send are the fullest ones, so checking those covers every [t, t+1s). */
    private static void assertAtMostPerWindow(List<Instant> sends, int limit) {
        for (Instant start : sends) {
            Instant end = start.plusSeconds(1);
            long inWindow = sends.stream().filter(t -> !t.isBefore(start) && t.isBefore(end)).count();
            assertThat(inWindow).as("sends in [%s, %s)", start, end).isLessThanOrEqualTo(limit);
        }
    }
}
