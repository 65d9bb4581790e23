package org.careline.schedule;

import org.careline.model.ReminderPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner's reasons and the ingest log's line built from them: one case per row. */
class DueReasonTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");

    private static ReminderPolicy policy(String from, String to) {
        return new ReminderPolicy(true, List.of(Duration.ofHours(48), Duration.ofHours(2)), LocalTime.parse(from),
                LocalTime.parse(to), Duration.ofHours(1));
    }

    /** now (UTC), start (UTC), quiet from, to: each planned message's log line after the ids, in due order. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // 03:00Z is 22:00 in Detroit (EST): the confirmation waits for 08:00 EST = 13:00Z; reminders are outside.
        "2026-12-03T03:00:00Z; 2026-12-07T15:30:00Z; 21:00; 08:00; "
                + "confirmation due 2026-12-03T13:00Z: quiet hours 21:00\u201308:00 America/Detroit at gh-clinic"
                + "|reminder 48h due 2026-12-05T15:30Z: 48h before the visit"
                + "|reminder 2h due 2026-12-07T13:30Z: 2h before the visit",
        // from = to: no quiet hours, the confirmation is due at once.
        "2026-12-03T03:00:00Z; 2026-12-07T15:30:00Z; 00:00; 00:00; "
                + "confirmation due now"
                + "|reminder 48h due 2026-12-05T15:30Z: 48h before the visit"
                + "|reminder 2h due 2026-12-07T13:30Z: 2h before the visit",
        // Visit at 08:30 local (13:30Z): the 2h reminder falls at 06:30 local, inside quiet hours, and 08:00 leaves
        // less than the minimum lead, so it goes a minute before they began the evening before.
        "2026-12-03T15:00:00Z; 2026-12-07T13:30:00Z; 21:00; 08:00; "
                + "confirmation due now"
                + "|reminder 48h due 2026-12-05T13:30Z: 48h before the visit"
                + "|reminder 2h due 2026-12-07T01:59Z: before quiet hours 21:00\u201308:00 America/Detroit at gh-clinic",
    })
    void bookingLinesSayWhenAndWhy(String now, String start, String from, String to, String expected) {
        List<Planned> plan = ReminderPlanner.scheduleBooking(Instant.parse(now), Instant.parse(start), DETROIT,
                policy(from, to), "gh-clinic");
        List<String> lines = plan.stream().map(p -> DueLine.of(7, 3, p)).toList();
        assertThat(lines).containsExactly(List.of(expected.split("\\|")).stream()
                .map(l -> "outbox=7 appointment=3 " + l).toArray(String[]::new));
    }

    @Test
    void reasonsAreTypedAndThePlainPlanIsTheSameMessages() {
        Instant now = Instant.parse("2026-12-03T03:00:00Z");
        Instant start = Instant.parse("2026-12-07T15:30:00Z");
        List<Planned> plan = ReminderPlanner.scheduleBooking(now, start, DETROIT, policy("21:00", "08:00"), "x");
        assertThat(plan.get(0).reason()).isEqualTo(new DueReason.QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0),
                DETROIT, "x", false));
        assertThat(plan.get(1).reason()).isEqualTo(new DueReason.BeforeVisit(Duration.ofHours(48)));
        assertThat(plan.stream().map(Planned::message).toList())
                .isEqualTo(ReminderPlanner.planBooking(now, start, DETROIT, policy("21:00", "08:00")));
        assertThat(ReminderPlanner.scheduleCancellation(now, start, DETROIT, policy("09:00", "09:00"), "x"))
                .map(Planned::reason).contains(new DueReason.Now());
    }

    @ParameterizedTest
    @CsvSource({
        "2026-12-03T13:00:00Z, 2026-12-03T13:00Z",
        "2026-12-03T13:00:05Z, 2026-12-03T13:00:05Z",
        "2026-12-03T13:00:00.250Z, 2026-12-03T13:00:00.250Z",
    })
    void dueTimesAreUtcToTheMinuteWhenTheyCanBe(String at, String expected) {
        assertThat(DueLine.utc(Instant.parse(at))).isEqualTo(expected);
    }
}
