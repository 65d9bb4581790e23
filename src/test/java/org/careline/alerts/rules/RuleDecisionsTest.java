package org.careline.alerts.rules;

import org.careline.config.AlertRulesMapping;
import org.careline.config.WorkingHours;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule's decision as a table of cases: the measured numbers, the rule and now → raise, clear or hold. */
class RuleDecisionsTest {

    private static final AlertRulesMapping D = AlertRulesMapping.defaults();
    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final Instant T = Instant.parse("2030-03-05T19:00:00Z"); // Tuesday 14:00 in Detroit

    private static String outcome(RuleOutcome o) {
        return o instanceof RuleOutcome.Raise ? "RAISE" : o instanceof RuleOutcome.Clear ? "CLEAR" : "HOLD";
    }

    @ParameterizedTest(name = "{0} attempted, {1} failed → {2}")
    @CsvSource({
            "0, 0, CLEAR",
            "2, 1, CLEAR",      // 50 %, but too few sends to tell
            "19, 19, CLEAR",    // still one short of minSends
            "20, 2, CLEAR",     // 10 % is not above 10 %
            "20, 3, RAISE",
            "100, 11, RAISE",
            "100, 10, CLEAR",
    })
    void sendFailureRate(long attempted, long failed, String expected) {
        assertThat(outcome(RuleDecisions.sendFailureRate(attempted, failed, D.sendFailureRate()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "oldest due {0} min ago, threshold {1} min → {2}")
    @CsvSource({
            ", 15, CLEAR",
            "0, 15, CLEAR",
            "15, 15, CLEAR",
            "16, 15, RAISE",
            "-5, 15, CLEAR",   // due later: not waiting yet
    })
    void queueAge(Integer minutesAgo, long threshold, String expected) {
        Instant since = minutesAgo == null ? null : T.minus(Duration.ofMinutes(minutesAgo));
        assertThat(outcome(RuleDecisions.queueAge("outbox", since, Duration.ofMinutes(threshold), T)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "paused {0} min ago, threshold {1} min → {2}")
    @CsvSource({
            ", 0, CLEAR",
            "0, 0, RAISE",
            "10, 30, HOLD",
            "30, 30, RAISE",
    })
    void sendingPaused(Integer minutesAgo, long threshold, String expected) {
        Instant since = minutesAgo == null ? null : T.minus(Duration.ofMinutes(minutesAgo));
        assertThat(outcome(RuleDecisions.sendingPaused(since, Duration.ofMinutes(threshold), T))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "last webhook {0} min ago, {1} sent, watching {2} min → {3}")
    @CsvSource({
            "5, 100, 600, CLEAR",     // flowing
            "29, 0, 600, CLEAR",
            "31, 10, 600, RAISE",     // silent 31 min while 10 went out
            "31, 9, 600, HOLD",       // silent, but too few sends to expect statuses
            ", 10, 600, RAISE",       // never a webhook since start, long enough ago
            ", 10, 20, HOLD",         // the engine started 20 min ago: it cannot have heard any
            "120, 50, 20, HOLD",      // last one before a restart 20 min ago: counts from the start
    })
    void webhooksStopped(Integer lastMinutesAgo, long sent, long watchingMinutes, String expected) {
        Instant last = lastMinutesAgo == null ? null : T.minus(Duration.ofMinutes(lastMinutesAgo));
        assertThat(outcome(RuleDecisions.webhooksStopped(last, sent, T.minus(Duration.ofMinutes(watchingMinutes)),
                D.webhooksStopped(), T))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "now {0} (Detroit), last SIU {1} → {2}")
    @CsvSource({
            "2030-03-05T14:00, 2030-03-05T13:30, CLEAR",   // flowing
            "2030-03-05T14:00, 2030-03-05T12:59, RAISE",   // Tuesday afternoon, 61 min of silence
            "2030-03-05T14:00, , HOLD",                    // never heard from: not watched
            "2030-03-05T20:00, 2030-03-05T17:00, HOLD",    // after hours: not an alert, and not over either
            "2030-03-09T11:00, 2030-03-08T10:00, HOLD",    // Saturday: outside Mon-Fri
            "2030-03-11T07:30, 2030-03-08T18:00, HOLD",    // Monday 07:30: silent only 30 min of working time
            "2030-03-11T08:01, 2030-03-08T18:00, RAISE",   // Monday 08:01: 61 min since opening
            "2030-03-05T20:00, 2030-03-05T19:30, CLEAR",   // an SIU after hours clears an open alert
    })
    void feedSilent(String now, String last, String expected) {
        Instant at = LocalDateTime.parse(now).atZone(DETROIT).toInstant();
        Instant lastSiu = last == null ? null : LocalDateTime.parse(last).atZone(DETROIT).toInstant();
        AlertRulesMapping.SiteWatch watch = new AlertRulesMapping.SiteWatch(Duration.ofMinutes(60),
                WorkingHours.parse("Mon-Fri 07:00-19:00"));
        assertThat(outcome(RuleDecisions.feedSilent(lastSiu, watch, DETROIT, at.minus(Duration.ofDays(30)), at)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} now against {1} → {2}")
    @CsvSource({
            "0, '0 0 0 0', CLEAR",
            "4, '0 0 0 0', CLEAR",       // under minCount (5)
            "5, '0 0 0 0', RAISE",       // usual 0, floored to 1: 5 ≥ 3 and ≥ 5
            "5, '2 2 2 2', CLEAR",       // usual 2: needs 6
            "6, '2 2 2 2', RAISE",
            "20, '10 6 8 8', CLEAR",     // a busy hour as usual: usual 8, needs 24
            "24, '10 6 8 8', RAISE",
            "5, '', RAISE",              // no history yet: the floor decides
    })
    void keywordRate(long count, String earlier, String expected) {
        long[] weeks = earlier.isBlank() ? new long[0]
                : Arrays.stream(earlier.trim().split(" ")).mapToLong(Long::parseLong).toArray();
        assertThat(outcome(RuleDecisions.keywordRate("pain", count, weeks, D.keywordRate()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} dead letters, threshold {1} → {2}")
    @CsvSource({"0, 5, CLEAR", "5, 5, CLEAR", "6, 5, RAISE", "1, 0, RAISE"})
    void deadLetters(long count, int threshold, String expected) {
        assertThat(outcome(RuleDecisions.deadLetters(count, threshold))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} holds {1}: {2}")
    @CsvSource({
            "pain, I have chest pain, true",
            "pain, PAIN since yesterday, true",
            "pain, painting the house, false",
            "pain, a trip to Spain, false",
            "hurts, it hurts!, true",
            "blood test, when is my blood test?, true",
    })
    void wordsAreWholeWordsOfAnyCase(String word, String text, boolean matches) {
        WordCounter counter = new WordCounter((c, m, id, now) -> { }, null, List.of(
                new AlertRulesMapping.Watch("w", new AlertRulesMapping.ByWords(List.of(word)))));
        assertThat(counter.matched(text)).isEqualTo(matches ? List.of("w") : List.of());
    }

    @ParameterizedTest(name = "{0} at {1} → {2}")
    @CsvSource({
            "Mon-Fri 07:00-19:00, 2030-03-05T07:00, true",
            "Mon-Fri 07:00-19:00, 2030-03-05T19:00, false",
            "Mon-Fri 07:00-19:00, 2030-03-09T10:00, false",
            "Mon-Fri 07:00-19:00; Sat 08:00-12:00, 2030-03-09T10:00, true",
            "Sat-Mon 00:00-24:00, 2030-03-10T23:59, true",   // a range across the week's end
            "Sat-Mon 00:00-24:00, 2030-03-05T10:00, false",
    })
    void workingHours(String hours, String at, boolean within) {
        assertThat(WorkingHours.parse(hours).contains(LocalDateTime.parse(at))).isEqualTo(within);
    }
}
