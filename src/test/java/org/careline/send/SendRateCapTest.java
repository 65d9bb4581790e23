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

    /** Sends answered the instant they start, as many as the cap lets through, until {@code count} have gone. */
    private static List<Instant> instantlyAnswered(SendRateCap cap, FakeClock clock, int count) {
        List<Instant> sends = new ArrayList<>();
        while (sends.size() < count) {
            Duration wait = cap.tryAcquire();
            if (wait.isZero()) {
                sends.add(clock.instant());
                cap.sent();
            } else {
                assertThat(wait.isNegative()).isFalse();
                clock.advance(wait);
            }
        }
        return sends;
    }

    @Test
    void burstAtOneInstantIsSpreadOverWindows() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(80, clock);
        List<Instant> sends = instantlyAnswered(cap, clock, 200);

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
            assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);
            cap.sent();
            clock.advance(Duration.ofMillis(100));
        }
    }

    @Test
    void waitCountsFromTheOldestAnswerInTheWindow() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(3, clock);
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);          // T0, answered at once
        cap.sent();
        clock.advance(Duration.ofMillis(400));
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);          // T0+400
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);          // T0+400
        cap.sent();
        cap.sent();
        clock.advance(Duration.ofMillis(200));                          // now T0+600
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ofMillis(400)); // free at T0+1000
        assertThat(cap.tryAcquire()).as("a refusal takes nothing").isEqualTo(Duration.ofMillis(400));
        clock.advance(Duration.ofMillis(400));
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);          // T0+1000
        cap.sent();
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ofMillis(400)); // next free at T0+1400
        clock.advance(Duration.ofSeconds(5));
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aSendCountsUntilAWindowAfterItsAnswer() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(1, clock);
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);          // T0, still waiting for the answer
        clock.advance(Duration.ofSeconds(3));
        assertThat(cap.tryAcquire()).as("the slot is held while the send is in flight").isEqualTo(Duration.ofSeconds(1));
        cap.sent();                                                     // answered at T0+3s
        clock.advance(Duration.ofMillis(999));
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(cap.tryAcquire()).isEqualTo(Duration.ZERO);
    }

    @Test
    void arrivalsNeverExceedTheCapHoweverLongRequestsTakeOnTheWay() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(80, clock);
        java.util.Random random = new java.util.Random(5);
        java.util.PriorityQueue<Instant> answers = new java.util.PriorityQueue<>();
        List<Instant> arrivals = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (random.nextInt(4) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(60)));
            }
            answerDue(cap, clock, answers);
            for (Duration wait = cap.tryAcquire(); !wait.isZero(); wait = cap.tryAcquire()) {
                assertThat(wait.isNegative()).isFalse();
                Duration untilAnswer = answers.isEmpty() ? wait : Duration.between(clock.instant(), answers.peek());
                clock.advance(untilAnswer.compareTo(wait) < 0 ? untilAnswer : wait);
                answerDue(cap, clock, answers);
            }
            // The request reaches Meta somewhere between its start and its answer, 0–300 ms later.
            long latency = random.nextInt(301);
            arrivals.add(clock.instant().plusMillis(random.nextLong(latency + 1)));
            answers.add(clock.instant().plusMillis(latency));
        }
        assertAtMostPerWindow(arrivals, 80);
    }

    private static void answerDue(SendRateCap cap, FakeClock clock, java.util.PriorityQueue<Instant> answers) {
        while (!answers.isEmpty() && !answers.peek().isAfter(clock.instant())) {
            answers.poll();
            cap.sent();
        }
    }

    @Test
    void clockSteppingBackDoesNotBreakTheCap() {
        FakeClock clock = new FakeClock();
        SendRateCap cap = new SendRateCap(2, clock);
        List<Instant> sends = new ArrayList<>(instantlyAnswered(cap, clock, 2));
        clock.advance(Duration.ofMillis(-500));
        sends.addAll(instantlyAnswered(cap, clock, 2));
        assertAtMostPerWindow(sends, 2);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new SendRateCap(0, new FakeClock())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendRateCap(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SendRateCap(1, new FakeClock()).sent()).isInstanceOf(IllegalStateException.class);
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
