package org.careline.stats;

import org.careline.config.Settings;
import org.careline.model.KpiFigures;
import org.careline.store.Database;
import org.careline.store.StatsRollups;
import org.careline.support.MutableClock;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roll-up SQL on H2 and on PostgreSQL: rows written straight into the engine's tables, folded by
 * {@link RollupFolder}, summed back by {@link StatsRollups#totals}, and assembled into figures.
 */
class RollupSqlTest {

    private static final Instant NOW = Instant.parse("2030-03-06T12:00:00Z");
    private static final Function<String, ZoneId> ZONES = site -> switch (site) {
        case "north" -> ZoneId.of("Europe/Berlin");
        case "south" -> ZoneId.of("America/Chicago");
        default -> ZoneOffset.UTC;
    };

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-stats")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    private static OffsetDateTime t(String instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static long insert(Connection c, String sql, Object... values) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[]{"id"})) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static long appointment(Connection c, long patient, String ext, String site, String service, String start,
                                    String status, String confirmed) throws Exception {
        return insert(c, "INSERT INTO appointment (source, external_id, patient_id, status, start_at, site_code, "
                + "service_code, reachable, confirmed_at, created_at, updated_at) VALUES ('EHR', ?, ?, ?, ?, ?, ?, "
                + "TRUE, ?, ?, ?)", ext, patient, status, t(start), site, service, t(confirmed), t(start), t(start));
    }

    private static long outbox(Connection c, Long appointment, Long notice, String kind, String label,
                               Integer errorCode, String deliveryStatus) throws Exception {
        return insert(c, "INSERT INTO outbox (appointment_id, result_notice_id, kind, label, due_at, status, "
                + "error_code, delivery_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'SENT', ?, ?, ?, ?)",
                appointment, notice, kind, label, t("2030-03-01T00:00:00Z"), errorCode, deliveryStatus,
                t("2030-03-01T00:00:00Z"), t("2030-03-01T00:00:00Z"));
    }

    private static void event(Connection c, long outbox, String event, String detail, String at) throws Exception {
        insert(c, "INSERT INTO message_event (outbox_id, event, detail, recorded_at) VALUES (?, ?, ?, ?)", outbox,
                event, detail, t(at));
    }

    private static void handoff(Connection c, Long appointment, String site, String queue, boolean urgent,
                                String created, Long answeredAfter, long slaSeconds) throws Exception {
        Instant at = Instant.parse(created);
        insert(c, "INSERT INTO staff_handoff (phone_e164, appointment_id, reason, urgent, created_at, queue, site_code, "
                + "due_at, first_answer_at) VALUES ('x', ?, ?, ?, ?, ?, ?, ?, ?)", appointment,
                urgent ? "EMERGENCY" : "HELP", urgent, t(created), queue, site,
                t(at.plusSeconds(slaSeconds).toString()),
                answeredAfter == null ? null : t(at.plusSeconds(answeredAfter).toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void logsAreFoldedIntoTheirLocalDaysOnceAndSummedBack(String database) throws Exception {
        MutableClock clock = new MutableClock(NOW);
        StatsRollups rollups = new StatsRollups();
        try (Database db = open(database)) {
            RollupFolder folder = new RollupFolder(db, rollups, ZONES, clock, Duration.ofSeconds(5), 30);
            long[] ids = db.inTransaction(c -> {
                long patient = insert(c, "INSERT INTO patient (patient_key, updated_at) VALUES ('p1', ?)",
                        t("2030-03-01T00:00:00Z"));
                long a1 = appointment(c, patient, "A1", "north", "cardio", "2030-03-04T10:00:00Z", "NO_SHOW", null);
                long a2 = appointment(c, patient, "A2", "south", "derm", "2030-03-04T15:00:00Z", "BOOKED",
                        "2030-03-03T12:00:00Z");
                long a3 = appointment(c, patient, "A3", "south", "derm", "2030-03-05T15:00:00Z", "CANCELLED", null);
                appointment(c, patient, "A4", "north", "cardio", "2030-03-09T10:00:00Z", "BOOKED", null);
                insert(c, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at, action) VALUES "
                        + "(?, 'S12', ?, 'BOOK')", a1, t("2030-03-01T23:30:00Z")); // Berlin: 03-02
                insert(c, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at, action) VALUES "
                        + "(?, 'S13', ?, 'RESCHEDULE')", a1, t("2030-03-02T10:00:00Z"));
                insert(c, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at, action) VALUES "
                        + "(?, 'S12', ?, 'BOOK')", a2, t("2030-03-02T03:00:00Z")); // Chicago: 03-01
                insert(c, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at) VALUES "
                        + "(?, 'S12', ?)", a3, t("2030-03-02T03:00:00Z")); // before V15: no action, not counted
                long o1 = outbox(c, a1, null, "REMINDER", "reminder-48h", null, "read");
                event(c, o1, "queued", null, "2030-03-01T00:00:00Z");
                event(c, o1, "sent", "W1", "2030-03-02T23:30:00Z"); // Berlin 03-03
                event(c, o1, "read", "W1", "2030-03-03T10:00:00Z");
                event(c, o1, "delivered", "W1", "2030-03-03T10:01:00Z"); // after read: not a second delivery
                long o2 = outbox(c, a2, null, "CONFIRMATION", "confirmation", 131026, null);
                event(c, o2, "sent", "W2", "2030-03-04T03:00:00Z"); // Chicago 03-03
                event(c, o2, "failed", "131026: Message undeliverable", "2030-03-04T03:10:00Z");
                event(c, o2, "dead", "131026: Message undeliverable", "2030-03-04T03:10:00Z"); // same failure
                long o3 = outbox(c, a2, null, "REMINDER", "reminder-2h", 131050, null);
                event(c, o3, "sent", "W3", "2030-03-04T12:00:00Z");
                event(c, o3, "delivered", "W3", "2030-03-04T12:01:00Z");
                event(c, o3, "dead", "Recipient blocked", "2030-03-04T13:00:00Z");
                long o4 = outbox(c, a2, null, "SERVICE_TEXT", "opt-out", null, null);
                event(c, o4, "queued", null, "2030-03-04T14:00:00Z");
                long notice = insert(c, "INSERT INTO result_notice (patient_id, reference, kind, site_code, release_at, "
                        + "expires_at, created_at) VALUES (?, 'ref-1', 'RESULTS_AVAILABLE', 'north', ?, ?, ?)", patient,
                        t("2030-03-03T00:00:00Z"), t("2030-04-03T00:00:00Z"), t("2030-03-03T00:00:00Z"));
                long o5 = outbox(c, null, notice, "RESULTS_AVAILABLE", "results", null, "delivered");
                event(c, o5, "sent", "W5", "2030-03-03T08:00:00Z");
                event(c, o5, "delivered", "W5", "2030-03-03T08:00:05Z");
                for (String[] r : new String[][]{{"r1", "CONFIRM", "a2"}, {"r2", "STOP", null}, {"r3", "EMERGENCY", "a1"},
                        {"r4", "OTHER", "a1"}, {"r5", "THANKS", "a1"}}) {
                    insert(c, "INSERT INTO inbound_reply (wamid, from_phone, message_type, appointment_id, intent, "
                            + "recorded_at) VALUES (?, 'x', 'text', ?, ?, ?)", r[0],
                            r[2] == null ? null : r[2].equals("a1") ? a1 : a2, r[1], t("2030-03-03T12:00:00Z"));
                }
                handoff(c, a1, "north", "nurse", false, "2030-03-03T08:00:00Z", 600L, 3600);
                handoff(c, a1, "north", "nurse", false, "2030-03-03T09:00:00Z", 7200L, 3600);
                handoff(c, a1, "north", "nurse", false, "2030-03-03T10:00:00Z", null, 3600);
                handoff(c, a2, "south", "emergency", true, "2030-03-03T10:00:00Z", 60L, 300);
                return new long[]{patient, a1, a2, o1};
            });
            // a row written a moment ago waits until it has settled
            db.inTransaction(c -> {
                event(c, ids[3], "sent", "W1b", NOW.minusSeconds(1).toString());
                return null;
            });
            folder.run();
            assertThat(db.inTransaction(c -> rollups.lockWatermarks(c)).get(StatsRollups.MESSAGE_EVENTS))
                    .as("the young row is left for the next round").isLessThan(ids[3] + 100);
            folder.fold();
            folder.fold(); // folding again adds nothing

            LocalDate from = LocalDate.parse("2030-03-01");
            LocalDate to = LocalDate.parse("2030-03-06");
            KpiFigures all = figures(db, rollups, null, null, from, to);
            assertThat(all.appointmentsBooked()).isEqualTo(2);
            assertThat(all.messages().total()).isEqualTo(new KpiFigures.MessageCounts(4, 3, 1, 2));
            assertThat(all.messages().byKind()).containsExactly(
                    new KpiFigures.KindCounts("CONFIRMATION", new KpiFigures.MessageCounts(1, 0, 0, 1)),
                    new KpiFigures.KindCounts("REMINDER", new KpiFigures.MessageCounts(2, 2, 1, 1)),
                    new KpiFigures.KindCounts("RESULTS_AVAILABLE", new KpiFigures.MessageCounts(1, 1, 0, 0)));
            assertThat(all.failures()).containsExactly(
                    new KpiFigures.FailureCause(131026, "Message undeliverable", 1),
                    new KpiFigures.FailureCause(131050, "Recipient blocked", 1));
            assertThat(all.replies()).isEqualTo(new KpiFigures.Replies(1, 0, 0, 0, 0, 1, 1));
            assertThat(all.optOuts()).isEqualTo(1);
            assertThat(all.results()).isEqualTo(new KpiFigures.Results(1, 0));
            assertThat(all.noShows()).isEqualTo(new KpiFigures.NoShowSplit(new KpiFigures.NoShowGroup(1, 0),
                    new KpiFigures.NoShowGroup(1, 1), new KpiFigures.NoShowGroup(0, 0)));
            assertThat(all.emergencies()).isEqualTo(1);
            assertThat(all.queues()).containsExactly(
                    new KpiFigures.QueueFigures("emergency", 1, 1, Duration.ofSeconds(60), Duration.ofSeconds(60), 1),
                    new KpiFigures.QueueFigures("nurse", 3, 2, Duration.ofSeconds(600), Duration.ofSeconds(7200), 1));

            // local days: the Berlin booking on 03-02, the Chicago one on 03-01; the send of 23:30Z on 03-03 in Berlin
            KpiFigures north = figures(db, rollups, null, "north", from, to);
            assertThat(north.daily().get(1).booked()).isEqualTo(1);
            assertThat(north.daily().get(2).messages().sent()).isEqualTo(2);
            KpiFigures south = figures(db, rollups, Set.of("south"), null, from, to);
            assertThat(south.daily().get(0).booked()).isEqualTo(1);
            assertThat(south.daily().get(2).messages().sent()).isEqualTo(1);
            assertThat(south.replies().stop()).as("a reply of no appointment is of no site").isZero();
            assertThat(figures(db, rollups, null, "north", from, to).replies().other()).isEqualTo(1);
            assertThat(figures(db, rollups, null, null, from, to).optOuts()).isEqualTo(1);
            assertThat(figures(db, rollups, null, "south", from, to).optOuts()).isEqualTo(1);
            assertThat(figures(db, rollups, null, "north", from, to).noShows().notReached().appointments()).isZero();

            // the portal's opens: counted once per notice
            assertThat((Object) db.inTransaction(c -> rollups.recordOpen(c, "ref-1", NOW))).isInstanceOf(StatsRollups.Counted.class);
            assertThat((Object) db.inTransaction(c -> rollups.recordOpen(c, "ref-1", NOW)))
                    .isInstanceOf(StatsRollups.AlreadyCounted.class);
            assertThat((Object) db.inTransaction(c -> rollups.recordOpen(c, "nope", NOW)))
                    .isInstanceOf(StatsRollups.NoSuchNotice.class);
            clock.set(NOW.plusSeconds(10));
            folder.fold();
            assertThat(figures(db, rollups, null, "north", from, LocalDate.parse("2030-03-07")).results())
                    .isEqualTo(new KpiFigures.Results(1, 1));
            assertThat(db.inTransaction(rollups::services)).isEqualTo(Map.of("north", List.of("cardio"),
                    "south", List.of("derm")));
            assertThat(figures(db, rollups, null, null, from, to).messages().total().sent())
                    .as("the young row folded in the end").isEqualTo(5);

            // a no-show mark after the first round is counted again in the next
            db.inTransaction(c -> c.createStatement().executeUpdate(
                    "UPDATE appointment SET status = 'NO_SHOW' WHERE external_id = 'A2'"));
            folder.recomputeNoShows();
            assertThat(figures(db, rollups, null, null, from, to).noShows().confirmed())
                    .isEqualTo(new KpiFigures.NoShowGroup(1, 1));
        }
    }

    private static KpiFigures figures(Database db, StatsRollups rollups, Set<String> visible, String site,
                                      LocalDate from, LocalDate to) {
        List<String> filter = site != null ? List.of(site) : visible == null ? null : List.copyOf(visible);
        List<StatsRollups.Total> totals = db.inTransaction(c -> rollups.totals(c, from, to, filter, null));
        List<StatsRollups.Handoff> handoffs = db.inTransaction(c -> rollups.handoffs(c,
                Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"), null)).stream()
                .filter(h -> filter == null || filter.contains(h.site())).toList();
        return StatsService.assemble(site, null, from, to, totals, handoffs);
    }
}
