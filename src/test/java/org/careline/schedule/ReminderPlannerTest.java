package org.careline.schedule;

import org.careline.model.ReminderPolicy;
import org.careline.model.PlannedMessage;
import org.careline.model.MessageKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careline.model.MessageKind.CANCELLED;
import static org.careline.model.MessageKind.CONFIRMATION;
import static org.careline.model.MessageKind.REMINDER;
import static org.careline.model.MessageKind.RESCHEDULED;

class ReminderPlannerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ReminderPolicy DEFAULTS = ReminderPolicy.defaults();

    /** A local wall-clock time in the given zone, as an instant. */
    private static Instant at(ZoneId zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static Instant berlin(String localDateTime) {
        return at(BERLIN, localDateTime);
    }

    private static PlannedMessage msg(MessageKind kind, String label, Instant dueAt) {
        return new PlannedMessage(kind, label, dueAt);
    }

    private static ReminderPolicy quiet(String start, String end) {
        return new ReminderPolicy(true, List.of(Duration.ofHours(48), Duration.ofHours(2)),
                start == null ? null : LocalTime.parse(start), end == null ? null : LocalTime.parse(end),
                Duration.ofHours(1));
    }

    private static ReminderPolicy withOffsets(Duration... offsets) {
        return new ReminderPolicy(false, List.of(offsets), LocalTime.of(21, 0), LocalTime.of(8, 0),
                Duration.ofHours(1));
    }

    // --- bookings ---

    @Test
    void bookingFarAheadGetsConfirmationAndBothRemindersAtExactInstants() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T10:00"), berlin("2026-05-08T15:00"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-04T10:00")),
                msg(REMINDER, "48h", berlin("2026-05-06T15:00")),
                msg(REMINDER, "2h", berlin("2026-05-08T13:00")));
    }

    @Test
    void bookingTenHoursAheadSkipsThe48hReminder() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T10:00"), berlin("2026-05-04T20:00"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-04T10:00")),
                msg(REMINDER, "2h", berlin("2026-05-04T18:00")));
    }

    @Test
    void reminderDueExactlyNowIsSkipped() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T10:00"), berlin("2026-05-04T12:00"), BERLIN,
                DEFAULTS)).extracting(PlannedMessage::label).containsExactly("confirmation");
    }

    @ParameterizedTest(name = "start {1} with now {0} plans nothing")
    @CsvSource({
            "2026-05-04T10:00, 2026-05-04T10:00",
            "2026-05-04T10:00, 2026-05-04T09:59",
            "2026-05-04T10:00, 2026-04-01T08:00",
    })
    void pastAppointmentsGetNothing(String now, String start) {
        Instant n = berlin(now);
        Instant s = berlin(start);
        assertThat(ReminderPlanner.planBooking(n, s, BERLIN, DEFAULTS)).isEmpty();
        assertThat(ReminderPlanner.planReschedule(n, s, BERLIN, DEFAULTS)).isEmpty();
        assertThat(ReminderPlanner.planCancellation(n, s, BERLIN, DEFAULTS)).isEmpty();
    }

    @Test
    void earlyMorningReminderMovesToThePreviousEveningWhenQuietEndsTooCloseToTheStart() {
        // 2h before 08:00 is 06:00, inside quiet hours; 08:00 leaves no lead time, so 20:59 the evening before.
        // The 48h reminder falls exactly on 08:00, which is no longer quiet (the end is exclusive).
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-01T10:00"), berlin("2026-05-04T08:00"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-01T10:00")),
                msg(REMINDER, "48h", berlin("2026-05-02T08:00")),
                msg(REMINDER, "2h", berlin("2026-05-03T20:59")));
    }

    @Test
    void lateEveningConfirmationWaitsForTheMorning() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T23:00"), berlin("2026-05-07T15:00"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-05T08:00")),
                msg(REMINDER, "48h", berlin("2026-05-05T15:00")),
                msg(REMINDER, "2h", berlin("2026-05-07T13:00")));
    }

    @Test
    void lateEveningConfirmationForAnEarlyAppointmentFallsBackToTheEndOfQuietHours() {
        // 08:00 is only 30 min before 08:30, so the rule first picks 20:59; that is past (now is 23:00) and
        // 08:00 is still before the start, so 08:00 it is. The 2h reminder (06:30) takes the same path.
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T23:00"), berlin("2026-05-05T08:30"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-05T08:00")),
                msg(REMINDER, "2h", berlin("2026-05-05T08:00")));
    }

    @Test
    void policyWithoutConfirmationSendsOnlyReminders() {
        ReminderPolicy policy = new ReminderPolicy(false, DEFAULTS.reminderOffsets(), DEFAULTS.quietStart(),
                DEFAULTS.quietEnd(), DEFAULTS.minLeadAfterQuiet());
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T10:00"), berlin("2026-05-08T15:00"), BERLIN,
                policy)).extracting(PlannedMessage::label).containsExactly("48h", "2h");
    }

    // --- DST ---

    @Test
    void remindersAreExactElapsedDurationsAcrossASpringForward() {
        // Monday 2026-03-30 10:00 CEST (08:00Z). Clocks went forward on Sunday 29th, so exactly 48 elapsed
        // hours earlier is Saturday 2026-03-28 08:00Z = 09:00 CET: one hour earlier on the wall clock.
        Instant start = berlin("2026-03-30T10:00");
        assertThat(start).isEqualTo(Instant.parse("2026-03-30T08:00:00Z"));

        List<PlannedMessage> plan = ReminderPlanner.planBooking(berlin("2026-03-20T12:00"), start, BERLIN, DEFAULTS);

        assertThat(plan).contains(msg(REMINDER, "48h", Instant.parse("2026-03-28T08:00:00Z")));
        assertThat(Instant.parse("2026-03-28T08:00:00Z").atZone(BERLIN).toLocalTime()).isEqualTo("09:00");
        assertThat(Duration.between(Instant.parse("2026-03-28T08:00:00Z"), start)).isEqualTo(Duration.ofHours(48));
    }

    @ParameterizedTest(name = "{0}: confirmation at {1} local goes out at {2}")
    @CsvSource({
            // spring forward 2026-03-08 02:00 EST -> 03:00 EDT: 08:00 EDT is 12:00Z
            "America/New_York, 2026-03-07T23:00, 2026-03-08T12:00:00Z",
            "America/New_York, 2026-03-08T01:30, 2026-03-08T12:00:00Z",
            "America/New_York, 2026-03-08T03:30, 2026-03-08T12:00:00Z",
            // fall back 2026-11-01 02:00 EDT -> 01:00 EST: 08:00 EST is 13:00Z
            "America/New_York, 2026-10-31T23:00, 2026-11-01T13:00:00Z",
            "America/New_York, 2026-11-01T01:30, 2026-11-01T13:00:00Z",
            // the same in Europe/Berlin (spring forward 2026-03-29, fall back 2026-10-25)
            "Europe/Berlin,    2026-03-28T23:00, 2026-03-29T06:00:00Z",
            "Europe/Berlin,    2026-10-24T23:00, 2026-10-25T07:00:00Z",
    })
    void quietHoursEndAtLocalWallTimeOnTheDayClocksChange(String zone, String now, String expected) {
        ZoneId z = ZoneId.of(zone);
        Instant n = at(z, now);
        Instant start = n.plus(Duration.ofDays(3));

        assertThat(ReminderPlanner.applyQuietHours(n, start, n, z, DEFAULTS)).contains(Instant.parse(expected));
        assertThat(Instant.parse(expected).atZone(z).toLocalTime()).isEqualTo("08:00");
    }

    @Test
    void bookingOnTheNewYorkSpringForwardNightUsesLocalEightOClock() {
        Instant now = at(NEW_YORK, "2026-03-07T23:00");
        assertThat(ReminderPlanner.planBooking(now, at(NEW_YORK, "2026-03-10T15:00"), NEW_YORK, DEFAULTS))
                .first().isEqualTo(msg(CONFIRMATION, "confirmation", Instant.parse("2026-03-08T12:00:00Z")));
    }

    @ParameterizedTest(name = "quiet 21:00-02:30, due {0} -> {1}")
    @CsvSource({
            // 02:30 does not exist in Berlin on 2026-03-29; ZonedDateTime.of shifts it to 03:30 CEST = 01:30Z
            "2026-03-29T00:30:00Z, 2026-03-29T01:30:00Z", // 01:30 CET
            "2026-03-29T01:10:00Z, 2026-03-29T01:30:00Z", // 03:10 CEST: still before the shifted end
            "2026-03-29T01:30:00Z, 2026-03-29T01:30:00Z", // 03:30 CEST: quiet is over
            "2026-03-28T19:59:00Z, 2026-03-28T19:59:00Z", // 20:59 CET: not yet quiet
    })
    void quietBoundaryInsideADstGapShiftsForward(String due, String expected) {
        ReminderPolicy policy = quiet("21:00", "02:30");
        Instant now = Instant.parse("2026-03-28T12:00:00Z");
        Instant start = Instant.parse("2026-04-02T12:00:00Z");
        assertThat(ReminderPlanner.applyQuietHours(Instant.parse(due), start, now, BERLIN, policy))
                .contains(Instant.parse(expected));
    }

    // --- quiet-hours rule, one case per row (Europe/Berlin, 21:00-08:00, 1h lead unless stated) ---

    @ParameterizedTest(name = "[{index}] due {1}, start {2}, now {3} -> {4}")
    @CsvSource(nullValues = "none", value = {
            // quiet   due                 start               now                 expected
            "21-08, 2026-05-04T20:59, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T20:59", // before quiet
            "21-08, 2026-05-04T21:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-05T08:00", // quiet starts
            "21-08, 2026-05-05T07:59, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-05T08:00", // after midnight
            "21-08, 2026-05-05T08:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-05T08:00", // end is exclusive
            "21-08, 2026-05-05T06:00, 2026-05-05T09:00, 2026-05-04T10:00, 2026-05-05T08:00", // lead exactly 1h
            "21-08, 2026-05-05T06:00, 2026-05-05T08:59, 2026-05-04T10:00, 2026-05-04T20:59", // lead 59 min
            "21-08, 2026-05-05T06:00, 2026-05-05T08:00, 2026-05-04T20:59, 2026-05-04T20:59", // 20:59 == now
            "21-08, 2026-05-05T06:00, 2026-05-05T08:30, 2026-05-05T05:00, 2026-05-05T08:00", // 20:59 past
            "21-08, 2026-05-05T06:00, 2026-05-05T08:00, 2026-05-05T05:00, none",             // nothing left
            "21-08, 2026-05-05T06:00, 2026-05-05T07:00, 2026-05-05T05:00, none",             // start in quiet
            "21-08, 2026-05-05T12:00, 2026-05-05T12:00, 2026-05-04T10:00, none",             // due at start
            "13-14, 2026-05-04T12:59, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T12:59", // same-day window
            "13-14, 2026-05-04T13:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T14:00",
            "13-14, 2026-05-04T13:30, 2026-05-04T14:30, 2026-05-04T10:00, 2026-05-04T12:59",
            "13-14, 2026-05-04T13:30, 2026-05-04T14:30, 2026-05-04T13:30, 2026-05-04T14:00",
            "13-14, 2026-05-04T14:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T14:00",
            "13-14, 2026-05-04T23:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T23:00", // night is fine
            "none,  2026-05-04T23:00, 2026-05-06T12:00, 2026-05-04T10:00, 2026-05-04T23:00", // no quiet hours
            "none,  2026-05-05T06:00, 2026-05-05T08:00, 2026-05-04T10:00, 2026-05-05T06:00",
            "08-08, 2026-05-05T06:00, 2026-05-05T08:00, 2026-05-04T10:00, 2026-05-05T06:00", // start == end
    })
    void applyQuietHours(String window, String due, String start, String now, String expected) {
        ReminderPolicy policy = window == null ? quiet(null, null)
                : quiet(window.substring(0, 2) + ":00", window.substring(3, 5) + ":00");
        var result = ReminderPlanner.applyQuietHours(berlin(due), berlin(start), berlin(now), BERLIN, policy);
        if (expected == null) {
            assertThat(result).isEmpty();
        } else {
            assertThat(result).contains(berlin(expected));
        }
    }

    @Test
    void policyWithoutQuietHoursSendsAtNight() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T23:00"), berlin("2026-05-07T08:00"), BERLIN,
                quiet(null, null))).containsExactly(
                msg(CONFIRMATION, "confirmation", berlin("2026-05-04T23:00")),
                msg(REMINDER, "48h", berlin("2026-05-05T08:00")),
                msg(REMINDER, "2h", berlin("2026-05-07T06:00")));
    }

    // --- collisions and labels ---

    @Test
    void remindersMovedOntoTheSameInstantKeepOnlyTheLargerOffset() {
        // 12h and 10h before 12:00 are 00:00 and 02:00, both quiet, both moved to 08:00.
        Instant now = berlin("2026-05-04T10:00");
        Instant start = berlin("2026-05-05T12:00");
        List<PlannedMessage> expected = List.of(msg(REMINDER, "12h", berlin("2026-05-05T08:00")));

        assertThat(ReminderPlanner.planBooking(now, start, BERLIN,
                withOffsets(Duration.ofHours(12), Duration.ofHours(10)))).isEqualTo(expected);
        assertThat(ReminderPlanner.planBooking(now, start, BERLIN,
                withOffsets(Duration.ofHours(10), Duration.ofHours(12)))).isEqualTo(expected);
    }

    @Test
    void duplicateOffsetsGiveOneReminder() {
        assertThat(ReminderPlanner.planBooking(berlin("2026-05-04T10:00"), berlin("2026-05-08T15:00"), BERLIN,
                withOffsets(Duration.ofHours(2), Duration.ofMinutes(120), Duration.ofMinutes(90))))
                .containsExactly(
                        msg(REMINDER, "2h", berlin("2026-05-08T13:00")),
                        msg(REMINDER, "90m", berlin("2026-05-08T13:30")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT48H,     48h",
            "PT2H,      2h",
            "PT90M,     90m",
            "PT36H,     1d12h",
            "PT1H,      1h",
            "PT30M,     30m",
            "PT24H,     24h",
            "PT72H,     72h",
            "PT25H,     1d1h",
            "PT26H30M,  1d2h30m",
            "PT23H59M,  1439m",
            "PT45S,     45s",
            "PT0S,      0m",
    })
    void label(String duration, String expected) {
        assertThat(ReminderPlanner.label(Duration.parse(duration))).isEqualTo(expected);
    }

    // --- reschedules and cancellations ---

    @Test
    void rescheduleSendsANoticeAndFreshRemindersButNoConfirmation() {
        assertThat(ReminderPlanner.planReschedule(berlin("2026-05-04T10:00"), berlin("2026-05-08T15:00"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(RESCHEDULED, "rescheduled", berlin("2026-05-04T10:00")),
                msg(REMINDER, "48h", berlin("2026-05-06T15:00")),
                msg(REMINDER, "2h", berlin("2026-05-08T13:00")));
    }

    @Test
    void rescheduleNoticeRespectsQuietHours() {
        assertThat(ReminderPlanner.planReschedule(berlin("2026-05-04T23:00"), berlin("2026-05-05T08:30"), BERLIN,
                DEFAULTS)).containsExactly(
                msg(RESCHEDULED, "rescheduled", berlin("2026-05-05T08:00")),
                msg(REMINDER, "2h", berlin("2026-05-05T08:00")));
    }

    @ParameterizedTest(name = "cancel at {0} for {1} -> {2}")
    @CsvSource(nullValues = "none", value = {
            "2026-05-04T10:00, 2026-05-08T15:00, 2026-05-04T10:00",
            "2026-05-04T23:00, 2026-05-07T15:00, 2026-05-05T08:00",
            "2026-05-04T23:00, 2026-05-05T08:30, 2026-05-05T08:00",
            "2026-05-04T23:00, 2026-05-05T07:00, none", // quiet until after the start: too late to tell them
            "2026-05-04T23:00, 2026-05-04T22:00, none", // already past
    })
    void cancellation(String now, String start, String expected) {
        var result = ReminderPlanner.planCancellation(berlin(now), berlin(start), BERLIN, DEFAULTS);
        if (expected == null) {
            assertThat(result).isEmpty();
        } else {
            assertThat(result).contains(msg(CANCELLED, "cancelled", berlin(expected)));
        }
    }
}
