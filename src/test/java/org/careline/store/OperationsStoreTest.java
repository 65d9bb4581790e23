package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.DeadLetterQueue;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations queries — receipts and replays (InboundLog), dead letters (DeadLetterStore) and a patient's
 * history (PatientHistory) — on H2 and on PostgreSQL, against the real schema.
 */
class OperationsStoreTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-ops")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void receiptsAreListedNewestFirstWithoutTheirTextAndOnlyAnAeOrArIsReplayed(String database) throws Exception {
        try (Database db = open(database)) {
            InboundLog log = new InboundLog(org.careline.store.crypto.FieldCipher.off());
            long aa = db.inTransaction(c -> log.record(c, "EHR|HOSP", "C1", "SIU^S12", "AA", null, null, null, null,
                    "MSH|first", NOW));
            long ae = db.inTransaction(c -> log.record(c, "EHR|HOSP", "C2", "SIU^S12", "AE", "Required start missing",
                    101, "SCH", 11, "MSH|second", NOW.plusSeconds(1)));
            long old = db.inTransaction(c -> log.record(c, "LAB|HOSP", "C2", "ORU^R01", "AR", "no", 200, "MSH", 9,
                    NOW.plusSeconds(2)));

            List<InboundLog.Receipt> recent = db.inTransaction(c -> log.receipts(c, null, null, 10));
            assertThat(recent).extracting(InboundLog.Receipt::id).containsExactly(old, ae, aa);
            assertThat(recent).extracting(InboundLog.Receipt::replayable).containsExactly(false, true, false);
            assertThat(db.inTransaction((Connection c) -> log.receipts(c, "C2", null, 10))).extracting(InboundLog.Receipt::id)
                    .containsExactly(old, ae);
            assertThat(db.inTransaction((Connection c) -> log.receipts(c, "C2", "EHR|HOSP", 10))).singleElement()
                    .satisfies(r -> {
                        assertThat(r.ackCode()).isEqualTo("AE");
                        assertThat(r.errorCode()).isEqualTo(101);
                        assertThat(r.receivedAt()).isEqualTo(NOW.plusSeconds(1));
                        assertThat(r.replayedBy()).isNull();
                    });
            assertThat(db.inTransaction((Connection c) -> log.receipts(c, null, null, 1))).hasSize(1);
            assertThat(db.inTransaction((Connection c) -> log.rawMessage(c, ae))).contains("MSH|second");
            assertThat(db.inTransaction((Connection c) -> log.rawMessage(c, old))).isEmpty();

            // The replay's AA replaces the AE; the AE is kept as the earlier answer, with who and when.
            assertThat(db.inTransaction((Connection c) -> log.supersede(c, ae, "AA", null, null, null, null, "ana",
                    NOW.plusSeconds(60)))).isTrue();
            InboundLog.Receipt after = db.inTransaction(c -> log.receipt(c, ae)).orElseThrow();
            assertThat(after.ackCode()).isEqualTo("AA");
            assertThat(after.errorCode()).isNull();
            assertThat(after.replayable()).isFalse();
            assertThat(after.replayedBy()).isEqualTo("ana");
            assertThat(after.replayedAt()).isEqualTo(NOW.plusSeconds(60));
            assertThat(db.inTransaction((Connection c) -> log.find(c, "EHR|HOSP", "C2"))).hasValueSatisfying(o ->
                    assertThat(o.ackCode()).isEqualTo("AA"));
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT previous_ack_code, previous_ack_text, "
                        + "previous_error_code, ack_code, replayed_by FROM inbound_replay WHERE inbound_id = ?")) {
                    ps.setLong(1, ae);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("AE");
                        assertThat(rs.getString(2)).isEqualTo("Required start missing");
                        assertThat(rs.getInt(3)).isEqualTo(101);
                        assertThat(rs.getString(4)).isEqualTo("AA");
                        assertThat(rs.getString(5)).isEqualTo("ana");
                        assertThat(rs.next()).isFalse();
                    }
                }
                return null;
            });
            // Applied now: neither it nor the AA'd message is superseded again.
            assertThat(db.inTransaction((Connection c) -> log.supersede(c, ae, "AA", null, null, null, null, "bob", NOW)))
                    .isFalse();
            assertThat(db.inTransaction((Connection c) -> log.supersede(c, aa, "AE", "x", 1, null, null, "bob", NOW))).isFalse();
            assertThat(db.inTransaction((Connection c) -> log.supersede(c, 999_999, "AA", null, null, null, null, "bob", NOW)))
                    .isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void deadLettersOfEveryQueueAreOneListAndARetryOrDiscardTakesEachOutOfIt(String database) throws Exception {
        try (Database db = open(database)) {
            DeadLetterStore store = new DeadLetterStore();
            long patient = patient(db, "+13135550101");
            long gh = appointment(db, patient, "gh-clinic");
            long other = appointment(db, patient, "north");
            long deadOutbox = insert(db, "INSERT INTO outbox (appointment_id, kind, label, due_at, status, attempts, "
                    + "error_code, error_reason, created_at, updated_at) VALUES (?, 'CONFIRMATION', 'confirmation', ?, "
                    + "'DEAD', 1, 131026, 'Message undeliverable', ?, ?)", gh, NOW, NOW, NOW.plusSeconds(1));
            insert(db, "INSERT INTO outbox (appointment_id, kind, label, due_at, status, attempts, created_at, "
                    + "updated_at) VALUES (?, 'CONFIRMATION', 'confirmation', ?, 'SENT', 1, ?, ?)", gh, NOW, NOW, NOW);
            long rejected = insert(db, "INSERT INTO writeback_request (appointment_id, action, status, attempts, "
                    + "due_at, control_id, ack_code, ack_text, created_at, updated_at) VALUES (?, 'CONFIRM', "
                    + "'REJECTED', 1, ?, 'WB1', 'AE', 'unknown appointment', ?, ?)", other, NOW, NOW,
                    NOW.plusSeconds(2));
            long failedWebhook = insert(db, "INSERT INTO webhook_delivery (body, received_at, processed_at, attempts, "
                    + "error) VALUES ('{}', ?, ?, 5, 'gave up after 5 attempts')", NOW, NOW.plusSeconds(3));
            long refusedWebhook = insert(db, "INSERT INTO webhook_delivery (body, received_at, processed_at, "
                    + "attempts, error) VALUES ('x', ?, ?, 0, 'body is not UTF-8')", NOW, NOW.plusSeconds(4));
            insert(db, "INSERT INTO webhook_delivery (body, received_at, processed_at, attempts) VALUES ('{}', ?, ?, 1)",
                    NOW, NOW);
            long alert = insert(db, "INSERT INTO alert (kind, detail, raised_at, severity, site_code) VALUES "
                    + "('emergency', 'handoff:1', ?, 'critical', 'gh-clinic')", NOW);
            long deadAlert = insert(db, "INSERT INTO alert_delivery (alert_id, channel, status, attempts, due_at, "
                    + "last_error, created_at, updated_at) VALUES (?, 'oncall-mail', 'DEAD', 8, ?, 'SMTP 550', ?, ?)",
                    alert, NOW, NOW, NOW.plusSeconds(5));

            List<DeadLetterStore.Row> all = db.inTransaction(c -> store.list(c, null, 50));
            assertThat(all).extracting(r -> r.queue().key() + "-" + r.rowId()).containsExactly(
                    "alert-" + deadAlert, "webhook-" + refusedWebhook, "webhook-" + failedWebhook,
                    "writeback-" + rejected, "outbox-" + deadOutbox);
            assertThat(all.get(0)).satisfies(r -> {
                assertThat(r.site()).isEqualTo("gh-clinic");
                assertThat(r.kind()).isEqualTo("oncall-mail (emergency)");
                assertThat(r.reason()).isEqualTo("SMTP 550");
                assertThat(r.attempts()).isEqualTo(8);
            });
            assertThat(all.get(1).notRetryable()).isNotNull();
            assertThat(all.get(2).notRetryable()).isNull();
            assertThat(all.get(3)).satisfies(r -> {
                assertThat(r.site()).isEqualTo("north");
                assertThat(r.kind()).isEqualTo("CONFIRM");
                assertThat(r.status()).isEqualTo("REJECTED");
                assertThat(r.reason()).isEqualTo("AE: unknown appointment");
            });
            assertThat(all.get(4)).satisfies(r -> {
                assertThat(r.site()).isEqualTo("gh-clinic");
                assertThat(r.kind()).isEqualTo("confirmation");
                assertThat(r.reason()).isEqualTo("131026: Message undeliverable");
                assertThat(r.at()).isEqualTo(NOW.plusSeconds(1));
            });
            assertThat(db.inTransaction((Connection c) -> store.list(c, null, 2))).hasSize(2);
            // A user limited to sites sees only theirs; site-less dead letters (webhooks) only with every site.
            assertThat(db.inTransaction((Connection c) -> store.list(c, Set.of("gh-clinic"), 50)))
                    .extracting(r -> r.queue().key() + "-" + r.rowId())
                    .containsExactly("alert-" + deadAlert, "outbox-" + deadOutbox);
            assertThat(db.inTransaction((Connection c) -> store.list(c, Set.of(), 50))).isEmpty();

            Instant later = NOW.plus(Duration.ofHours(1));
            assertThat(db.inTransaction((Connection c) -> store.requeue(c, DeadLetterQueue.OUTBOX, deadOutbox, "ana", later)))
                    .isTrue();
            assertThat(row(db, "SELECT status, attempts, due_at, error_reason FROM outbox WHERE id = ?", deadOutbox))
                    .containsExactly("PENDING", 0, later, "Message undeliverable");
            assertThat(db.inTransaction((Connection c) -> store.requeue(c, DeadLetterQueue.OUTBOX, deadOutbox, "ana", later)))
                    .isFalse();
            assertThat(db.inTransaction((Connection c) -> store.requeue(c, DeadLetterQueue.WRITEBACK, rejected, "ana", later)))
                    .isTrue();
            assertThat(row(db, "SELECT status, attempts, control_id, ack_code FROM writeback_request WHERE id = ?",
                    rejected)).containsExactly("PENDING", 0, null, null);
            assertThat(db.inTransaction((Connection c) -> store.requeue(c, DeadLetterQueue.WEBHOOK, failedWebhook, "ana", later)))
                    .isTrue();
            assertThat(row(db, "SELECT processed_at, attempts, next_attempt_at FROM webhook_delivery WHERE id = ?",
                    failedWebhook)).containsExactly(null, 0, later);
            assertThat(db.inTransaction((Connection c) -> store.discard(c, DeadLetterQueue.WEBHOOK, refusedWebhook, "bob", later)))
                    .isTrue();
            assertThat(row(db, "SELECT discarded_at, error FROM webhook_delivery WHERE id = ?", refusedWebhook))
                    .containsExactly(later, "body is not UTF-8");
            assertThat(db.inTransaction((Connection c) -> store.discard(c, DeadLetterQueue.ALERT, deadAlert, "bob", later)))
                    .isTrue();
            assertThat(row(db, "SELECT status, last_error FROM alert_delivery WHERE id = ?", deadAlert))
                    .containsExactly("DISCARDED", "SMTP 550");
            assertThat(db.inTransaction((Connection c) -> store.discard(c, DeadLetterQueue.ALERT, deadAlert, "bob", later)))
                    .isFalse();

            assertThat(db.inTransaction((Connection c) -> store.list(c, null, 50))).isEmpty();
            assertThat(db.inTransaction((Connection c) -> store.exists(c, DeadLetterQueue.OUTBOX, deadOutbox))).isTrue();
            assertThat(db.inTransaction((Connection c) -> store.exists(c, DeadLetterQueue.OUTBOX, 999_999))).isFalse();
            assertThat(db.inTransaction((Connection c) -> store.find(c, DeadLetterQueue.OUTBOX, deadOutbox))).isEmpty();
            assertThat(count(db, "SELECT COUNT(*) FROM dead_letter_action")).isEqualTo(5);
            assertThat(row(db, "SELECT action, actor, reason FROM dead_letter_action WHERE queue = 'outbox' "
                    + "AND row_id = ?", deadOutbox)).containsExactly("RETRIED", "ana", "131026: Message undeliverable");
            assertThat(count(db, "SELECT COUNT(*) FROM message_event WHERE event = 'requeued'")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aPatientsHistoryGathersEveryPartNewestFirst(String database) throws Exception {
        try (Database db = open(database)) {
            PatientHistory history = new PatientHistory(org.careline.store.crypto.FieldCipher.off());
            String phone = "+13135550102";
            long patient = patient(db, phone);
            long stranger = patient(db, "+13135550199");
            long appt = appointment(db, patient, "gh-clinic");
            long strangers = appointment(db, stranger, "gh-clinic");
            insert(db, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at) VALUES (?, 'S12', ?)",
                    appt, NOW);
            insert(db, "INSERT INTO appointment_event (appointment_id, event_type, recorded_at) VALUES (?, 'S12', ?)",
                    strangers, NOW);
            long sent = insert(db, "INSERT INTO outbox (appointment_id, kind, label, due_at, status, attempts, "
                    + "delivery_status, created_at, updated_at) VALUES (?, 'CONFIRMATION', 'confirmation', ?, 'SENT', "
                    + "1, 'read', ?, ?)", appt, NOW, NOW, NOW.plusSeconds(50));
            insert(db, "INSERT INTO message_event (outbox_id, event, recorded_at) VALUES (?, 'sent', ?)", sent,
                    NOW.plusSeconds(1));
            long reminder = insert(db, "INSERT INTO outbox (appointment_id, kind, label, due_at, status, attempts, "
                    + "created_at, updated_at) VALUES (?, 'REMINDER', 'reminder-48h', ?, 'PENDING', 0, ?, ?)", appt,
                    NOW.plus(Duration.ofDays(1)), NOW, NOW);
            long reply = insert(db, "INSERT INTO inbound_reply (wamid, from_phone, message_type, content, intent, "
                    + "sent_at, recorded_at) VALUES ('wamid.1', ?, 'text', 'I need help', 'HELP', ?, ?)", phone,
                    NOW.plusSeconds(10), NOW.plusSeconds(11));
            long handoff = insert(db, "INSERT INTO staff_handoff (phone_e164, appointment_id, inbound_reply_id, reason, "
                    + "urgent, created_at, queue, status) VALUES (?, ?, ?, 'HELP', FALSE, ?, 'nurse', 'CLAIMED')", phone,
                    appt, reply, NOW.plusSeconds(12));
            long answer = insert(db, "INSERT INTO outbox (recipient_phone, body, kind, label, due_at, status, attempts, "
                    + "created_at, updated_at) VALUES (?, 'We will call you', 'REPLY', 'staff', ?, 'SENT', 1, ?, ?)",
                    phone, NOW.plusSeconds(20), NOW.plusSeconds(20), NOW.plusSeconds(21));
            insert(db, "INSERT INTO handoff_event (handoff_id, kind, actor, body, outbox_id, at) VALUES (?, 'REPLIED', "
                    + "'nina', 'We will call you', ?, ?)", handoff, answer, NOW.plusSeconds(20));
            long writeback = insert(db, "INSERT INTO writeback_request (appointment_id, action, status, attempts, "
                    + "due_at, ack_code, created_at, updated_at) VALUES (?, 'CONFIRM', 'DONE', 1, ?, 'AA', ?, ?)",
                    appt, NOW, NOW, NOW.plusSeconds(30));

            PatientHistory.Person person = db.inTransaction(c -> history.person(c, patient)).orElseThrow();
            assertThat(person.phone()).isEqualTo(phone);
            assertThat(person.optedOut()).isFalse();
            List<PatientHistory.Entry> entries = db.inTransaction(c -> history.entries(c, person, 50));
            assertThat(entries).extracting(PatientHistory.Entry::ref).containsExactly(
                    "outbox:" + reminder, "writeback:" + writeback, "outbox:" + answer, "handoff:" + handoff,
                    "handoff:" + handoff, "reply:" + reply, "outbox:" + sent, "appointment:" + appt);
            assertThat(entries).extracting(PatientHistory.Entry::type).containsExactly("outbound", "writeback",
                    "outbound", "handoff", "handoff", "inbound", "outbound", "appointment");
            assertThat(entries.get(1).status()).isEqualTo("DONE/AA");
            assertThat(entries.get(2).text()).isEqualTo("We will call you");
            assertThat(entries.get(3)).satisfies(e -> {
                assertThat(e.status()).isEqualTo("REPLIED");
                assertThat(e.actor()).isEqualTo("nina");
            });
            assertThat(entries.get(4).status()).isEqualTo("CLAIMED");
            assertThat(entries.get(4).label()).isEqualTo("nurse");
            assertThat(entries.get(5).text()).isEqualTo("I need help");
            assertThat(entries.get(5).status()).isEqualTo("HELP");
            assertThat(entries.get(6).status()).isEqualTo("SENT/read");
            assertThat(entries.get(6).at()).isEqualTo(NOW.plusSeconds(1));
            assertThat(entries.get(7).status()).isEqualTo("S12");
            assertThat(db.inTransaction((Connection c) -> history.entries(c, person, 3))).hasSize(3);

            assertThat(db.inTransaction((Connection c) -> history.patientOfHandoff(c, handoff))).contains(patient);
            assertThat(db.inTransaction((Connection c) -> history.patientOfAppointment(c, strangers))).contains(stranger);
            assertThat(db.inTransaction((Connection c) -> history.patientOfHandoff(c, 999_999))).isEmpty();
            assertThat(db.inTransaction((Connection c) -> history.person(c, 999_999))).isEmpty();

            execute(db, "INSERT INTO contact_preference (phone_e164, opted_out, updated_at) VALUES (?, TRUE, ?)", phone,
                    NOW);
            assertThat(db.inTransaction((Connection c) -> history.person(c, patient)).orElseThrow().optedOut()).isTrue();
        }
    }

    private static long patient(Database db, String phone) {
        return insert(db, "INSERT INTO patient (patient_key, given_name, family_name, phone_e164, language, "
                + "updated_at) VALUES (?, 'Jane', 'Doe', ?, 'en', ?)", "HOSP|" + phone, phone, NOW);
    }

    private static long appointment(Database db, long patient, String site) {
        return insert(db, "INSERT INTO appointment (source, external_id, patient_id, status, site_code, reachable, "
                + "created_at, updated_at) VALUES ('EHR|HOSP', ?, ?, 'BOOKED', ?, TRUE, ?, ?)",
                "A" + System.nanoTime(), patient, site, NOW, NOW);
    }

    private static long insert(Database db, String sql, Object... args) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, new String[]{"id"})) {
                bind(ps, args);
                return Sql.executeForId(ps);
            }
        });
    }

    private static void execute(Database db, String sql, Object... args) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    private static long count(Database db, String sql) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** One row's columns: timestamps as Instants, numbers as Integers. */
    private static List<Object> row(Database db, String sql, long id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    java.util.ArrayList<Object> out = new java.util.ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof java.sql.Timestamp || v instanceof java.time.OffsetDateTime) {
                            v = rs.getObject(i, java.time.OffsetDateTime.class).toInstant();
                        } else if (v instanceof Number n && !(v instanceof Long)) {
                            v = n.intValue();
                        }
                        out.add(v);
                    }
                    return out;
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, Object... args) throws java.sql.SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Instant t) {
                Sql.setInstant(ps, i + 1, t);
            } else if (args[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (args[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }

}
