package org.careline.schedule;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * SIU events over MLLP → appointment state, history and outbox, as the scheduler keeps them in step. Every site
 * here is gh-clinic (America/Detroit, quiet hours 21:00–08:00, 1h min lead after quiet hours), and every instant
 * is before the 2030-03-10 DST change, so Detroit is UTC-5 throughout.
 */
class ScheduleFlowTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    /** Tuesday 2030-03-05 14:00 in Detroit: outside quiet hours, so notices are due at once. */
    private static final Instant NOW = detroit(5, 14, 0);

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        // The engine's default zone is far from the site's (Detroit), so a time or quiet hour taken in the wrong
        // zone shows; the fixture's own default (New York) keeps the same clock time as Detroit.
        fx = EngineFixture.start(Map.of("CARELINE_TIMEZONE", "Asia/Tokyo"), NOW);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    /** An instant in March 2030, written as Detroit local time. */
    private static Instant detroit(int day, int hour, int minute) {
        return ZonedDateTime.of(2030, 3, day, hour, minute, 0, 0, DETROIT).toInstant();
    }

    @Test
    void bookingThreeDaysAheadPlansConfirmationAnd48hAnd2hReminders() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0)); // Friday 14:00
        Flow.accepted(fx, siu);

        assertThat(Flow.outbox(fx, siu.fillerId()))
                .extracting(r -> r.get("KIND"), r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("CONFIRMATION", "confirmation", NOW),
                        tuple("REMINDER", "48h", detroit(6, 14, 0)),
                        tuple("REMINDER", "2h", detroit(8, 12, 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
        assertThat(fx.meta.received().get(0).json().path("template").path("name").asText())
                .isEqualTo("appointment_confirmation");
        Flow.awaitIdle(fx);
        assertThat(Flow.outbox(fx, siu.fillerId())).extracting(r -> r.get("STATUS"))
                .containsExactly("SENT", "PENDING", "PENDING");
    }

    @Test
    void remindersFallingInQuietHoursMoveToItsEndOrToTheEveningBefore() throws Exception {
        // 09:00 start: the 2h reminder (07:00) is quiet; 08:00 still leaves the 1h lead, so it goes at 08:00.
        Siu nine = Siu.booking(detroit(8, 9, 0));
        // 08:30 start: the 2h reminder (06:30) is quiet; 08:00 would leave only 30 min, so 20:59 the evening before.
        Siu eightThirty = Siu.booking(detroit(8, 8, 30));
        Flow.accepted(fx, nine);
        Flow.accepted(fx, eightThirty);

        assertThat(Flow.outbox(fx, nine.fillerId()))
                .extracting(r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("confirmation", NOW),
                        tuple("48h", detroit(6, 9, 0)),
                        tuple("2h", detroit(8, 8, 0)));
        assertThat(Flow.outbox(fx, eightThirty.fillerId()))
                .extracting(r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("confirmation", NOW),
                        tuple("48h", detroit(6, 8, 30)),
                        tuple("2h", detroit(7, 20, 59)));
    }

    @Test
    void colonoscopyAtGhClinicGets72h24hAnd2hReminders() throws Exception {
        Siu siu = Siu.booking(detroit(9, 14, 0)).serviceCode("76164006"); // Saturday 14:00
        Flow.accepted(fx, siu);

        assertThat(Flow.outbox(fx, siu.fillerId()))
                .extracting(r -> r.get("KIND"), r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("CONFIRMATION", "confirmation", NOW),
                        tuple("REMINDER", "72h", detroit(6, 14, 0)),
                        tuple("REMINDER", "24h", detroit(8, 14, 0)),
                        tuple("REMINDER", "2h", detroit(9, 12, 0)));
    }

    @Test
    void rescheduleCancelsPendingRemindersQueuesNoticeAndNewRemindersAndKeepsHistory() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0));
        Flow.accepted(fx, siu);
        awaitConfirmationSent(siu);

        fx.clock.advance(Duration.ofHours(1)); // Tuesday 15:00
        Instant newStart = detroit(9, 11, 0);  // Saturday 11:00
        Flow.accepted(fx, siu.newControlId().trigger("S13").start(newStart));

        assertThat(Flow.outbox(fx, siu.fillerId()))
                .extracting(r -> r.get("KIND"), r -> r.get("LABEL"), r -> r.get("DUE_AT"), r -> r.get("STATUS"))
                .startsWith(
                        tuple("CONFIRMATION", "confirmation", NOW, "SENT"),
                        tuple("REMINDER", "48h", detroit(6, 14, 0), "CANCELLED"),
                        tuple("REMINDER", "2h", detroit(8, 12, 0), "CANCELLED"));
        assertThat(Flow.outbox(fx, siu.fillerId()).subList(3, 6))
                .extracting(r -> r.get("KIND"), r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("RESCHEDULED", "rescheduled", detroit(5, 15, 0)),
                        tuple("REMINDER", "48h", detroit(7, 11, 0)),
                        tuple("REMINDER", "2h", detroit(9, 9, 0)));
        assertThat(Flow.outbox(fx, siu.fillerId())).hasSize(6);

        Map<String, Object> appointment = fx.query("SELECT id, start_at, status FROM appointment WHERE external_id = ?",
                siu.fillerId()).get(0);
        assertThat(Flow.instant(appointment.get("START_AT"))).isEqualTo(newStart);
        assertThat(appointment.get("STATUS")).isEqualTo("BOOKED");
        assertThat(fx.query("SELECT event_type, start_at FROM appointment_event WHERE appointment_id = ? ORDER BY id",
                appointment.get("ID")))
                .extracting(r -> r.get("EVENT_TYPE"), r -> Flow.instant(r.get("START_AT")))
                .containsExactly(tuple("S12", detroit(8, 14, 0)), tuple("S13", newStart));

        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_rescheduled").size() == 1);
        List<String> params = Flow.bodyParameters(Flow.requestsFor(fx, "appointment_rescheduled").get(0));
        assertThat(params)
                .containsExactly("Jane", "Dr Anna Smith", "Saturday, March 9, 2030", "11:00 AM", "GH Clinic");
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(2);
    }

    @Test
    void modifyWithSameStartQueuesNothingAndTheNextReminderCarriesTheNewProvider() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0));
        Flow.accepted(fx, siu);
        awaitConfirmationSent(siu);
        List<Map<String, Object>> before = Flow.outbox(fx, siu.fillerId());

        Flow.accepted(fx, siu.newControlId().trigger("S14").provider("D2^JONES^MARK^^^DR"));

        Flow.awaitIdle(fx);
        assertThat(Flow.outbox(fx, siu.fillerId())).isEqualTo(before);
        assertThat(fx.meta.received()).hasSize(1);
        assertThat(fx.query("SELECT provider_name FROM appointment WHERE external_id = ?", siu.fillerId()).get(0))
                .containsEntry("PROVIDER_NAME", "Dr Mark Jones");

        fx.clock.set(detroit(6, 14, 1)); // just past the 48h reminder
        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_reminder").size() == 1);
        List<String> params = Flow.bodyParameters(Flow.requestsFor(fx, "appointment_reminder").get(0));
        assertThat(params.get(1)).isEqualTo("Dr Mark Jones");
        assertThat(params.get(2)).isEqualTo("Friday, March 8, 2030");
        assertThat(params.get(3)).isEqualTo("2:00 PM");
        Flow.awaitIdle(fx);
        assertThat(Flow.row(fx, siu.fillerId(), "48h")).containsEntry("STATUS", "SENT");
        assertThat(Flow.row(fx, siu.fillerId(), "2h")).containsEntry("STATUS", "PENDING");
    }

    @Test
    void cancelStopsPendingRemindersAndSendsOneCancelledNotice() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0));
        Flow.accepted(fx, siu);
        awaitConfirmationSent(siu);

        Flow.accepted(fx, siu.newControlId().trigger("S15"));

        assertThat(Flow.outbox(fx, siu.fillerId()))
                .extracting(r -> r.get("KIND"), r -> r.get("LABEL"), r -> r.get("DUE_AT"))
                .containsExactly(
                        tuple("CONFIRMATION", "confirmation", NOW),
                        tuple("REMINDER", "48h", detroit(6, 14, 0)),
                        tuple("REMINDER", "2h", detroit(8, 12, 0)),
                        tuple("CANCELLED", "cancelled", NOW));
        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_cancelled").size() == 1);
        Flow.awaitIdle(fx);
        assertThat(Flow.outbox(fx, siu.fillerId())).extracting(r -> r.get("STATUS"))
                .containsExactly("SENT", "CANCELLED", "CANCELLED", "SENT");
        assertThat(Flow.bodyParameters(Flow.requestsFor(fx, "appointment_cancelled").get(0)))
                .containsExactly("Jane", "Friday, March 8, 2030", "2:00 PM", "GH Clinic", "+1 608 271 9000");
        assertThat(fx.query("SELECT status FROM appointment WHERE external_id = ?", siu.fillerId()).get(0))
                .containsEntry("STATUS", "CANCELLED");

        fx.clock.set(detroit(8, 13, 0)); // both reminders would be due by now
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).extracting(r -> r.json().path("template").path("name").asText())
                .containsExactly("appointment_confirmation", "appointment_cancelled");
    }

    @Test
    void deleteStopsPendingRemindersWithoutNotice() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0));
        Flow.accepted(fx, siu);
        awaitConfirmationSent(siu);

        Flow.accepted(fx, siu.newControlId().trigger("S17"));

        assertThat(fx.query("SELECT status FROM appointment WHERE external_id = ?", siu.fillerId()).get(0))
                .containsEntry("STATUS", "DELETED");
        assertThat(Flow.outbox(fx, siu.fillerId())).extracting(r -> r.get("LABEL"), r -> r.get("STATUS"))
                .containsExactly(tuple("confirmation", "SENT"), tuple("48h", "CANCELLED"), tuple("2h", "CANCELLED"));
        fx.clock.set(detroit(8, 13, 0));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
    }

    @Test
    void noShowIsRecordedAndStopsPendingRemindersWithoutSending() throws Exception {
        Siu siu = Siu.booking(detroit(8, 14, 0));
        Flow.accepted(fx, siu);
        awaitConfirmationSent(siu);

        Flow.accepted(fx, siu.newControlId().trigger("S26"));

        Map<String, Object> appointment = fx.query("SELECT id, status FROM appointment WHERE external_id = ?",
                siu.fillerId()).get(0);
        assertThat(appointment).containsEntry("STATUS", "NO_SHOW");
        assertThat(fx.query("SELECT event_type FROM appointment_event WHERE appointment_id = ? ORDER BY id",
                appointment.get("ID"))).extracting(r -> r.get("EVENT_TYPE")).containsExactly("S12", "S26");
        assertThat(Flow.outbox(fx, siu.fillerId())).extracting(r -> r.get("LABEL"), r -> r.get("STATUS"))
                .containsExactly(tuple("confirmation", "SENT"), tuple("48h", "CANCELLED"), tuple("2h", "CANCELLED"));
        fx.clock.set(detroit(8, 13, 0));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
    }

    @Test
    void bookingInThePastIsStoredButQueuesNothing() throws Exception {
        Instant yesterday = detroit(4, 14, 0);
        Siu siu = Siu.booking(yesterday);
        Flow.accepted(fx, siu);

        List<Map<String, Object>> appointments = fx.query(
                "SELECT id, status, start_at FROM appointment WHERE external_id = ?", siu.fillerId());
        assertThat(appointments).hasSize(1);
        assertThat(appointments.get(0)).containsEntry("STATUS", "BOOKED");
        assertThat(Flow.instant(appointments.get(0).get("START_AT"))).isEqualTo(yesterday);
        assertThat(fx.query("SELECT event_type FROM appointment_event WHERE appointment_id = ?",
                appointments.get(0).get("ID"))).extracting(r -> r.get("EVENT_TYPE")).containsExactly("S12");
        assertThat(Flow.outbox(fx, siu.fillerId())).isEmpty();
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
    }

    private void awaitConfirmationSent(Siu siu) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(
                Flow.row(fx, siu.fillerId(), "confirmation").get("STATUS")));
        assertThat(fx.meta.received()).hasSize(1);
    }
}
