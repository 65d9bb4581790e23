package org.careline.privacy;

import org.careline.config.Settings;
import org.careline.model.DataClass;
import org.careline.model.RetentionRules;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.PatientRecords;
import org.careline.store.RetentionTargets;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily purge on H2 and PostgreSQL: what is older than its class's period is cleared in batches (more rows than
 * one batch), what is newer stays, a patient under legal hold keeps everything, the counts go to the audit trail and
 * the audit class goes to the trail's own prune.
 */
class RetentionPurgeTest {

    private static final Instant NOW = Instant.parse("2030-03-05T08:30:00Z");
    private static final Instant OLD = Instant.parse("2029-01-10T10:00:00Z"); // older than 12 months
    private static final Instant RECENT = Instant.parse("2029-12-01T10:00:00Z");

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-purge")
                .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void oldDataGoesInBatchesNewDataAndHeldPatientsStayAndTheCountsAreAudited(String database) throws Exception {
        try (Database db = open(database)) {
            long free = patient(db, "FREEPATIENT", "MRNFREE1", "+16082719000", OLD);
            long held = patient(db, "HELDPATIENT", "MRNHELD1", "+16082719009", OLD);
            long freeAppt = appointment(db, free, "A1");
            long heldAppt = appointment(db, held, "A2");
            for (int i = 0; i < 1200; i++) {
                sql(db, "INSERT INTO outbox (appointment_id, body, kind, label, due_at, status, created_at, updated_at) "
                        + "VALUES (?, 'old text', 'REPLY', 'reply', ?, 'SENT', ?, ?)", freeAppt, OLD, OLD, OLD);
            }
            sql(db, "INSERT INTO outbox (appointment_id, body, kind, label, due_at, status, created_at, updated_at) "
                    + "VALUES (?, 'recent text', 'REPLY', 'reply', ?, 'SENT', ?, ?)", freeAppt, RECENT, RECENT, RECENT);
            sql(db, "INSERT INTO outbox (appointment_id, body, kind, label, due_at, status, created_at, updated_at) "
                    + "VALUES (?, 'held text', 'REPLY', 'reply', ?, 'SENT', ?, ?)", heldAppt, OLD, OLD, OLD);
            sql(db, "INSERT INTO outbox (appointment_id, body, kind, label, due_at, status, created_at, updated_at) "
                    + "VALUES (?, 'still pending', 'REPLY', 'reply', ?, 'PENDING', ?, ?)", freeAppt, OLD, OLD, OLD);
            sql(db, "INSERT INTO inbound_message (sender, control_id, ack_code, received_at, raw_message) "
                    + "VALUES ('EHR', 'C1', 'AA', ?, 'MSH|x\rPID|1||MRNFREE1^^^HOSP^MR')", OLD);
            sql(db, "INSERT INTO inbound_message (sender, control_id, ack_code, received_at, raw_message) "
                    + "VALUES ('LAB', 'C2', 'AA', ?, 'MSH|x\rPID|1||MRNHELD1^^^HOSP^MR')", OLD);
            sql(db, "INSERT INTO webhook_delivery (body, received_at, processed_at) VALUES "
                    + "('{\"from\":\"16082719000\"}', ?, ?)", OLD, OLD);
            sql(db, "INSERT INTO webhook_delivery (body, received_at, processed_at) VALUES "
                    + "('{\"from\":\"16082719009\"}', ?, ?)", OLD, OLD);
            sql(db, "INSERT INTO inbound_reply (wamid, from_phone, message_type, content, recorded_at) "
                    + "VALUES ('w1', '+16082719000', 'text', 'my words', ?)", OLD);
            sql(db, "INSERT INTO staff_handoff (phone_e164, reason, urgent, created_at) "
                    + "VALUES ('+16082719000', 'HELP', FALSE, ?)", OLD);
            sql(db, "INSERT INTO handoff_event (handoff_id, kind, body, at) SELECT id, 'NOTE', 'a note', ? "
                    + "FROM staff_handoff", OLD);
            for (long p : new long[]{free, held}) {
                sql(db, "INSERT INTO consent_event (patient_id, consent_value, source, note, recorded_at) "
                        + "VALUES (?, 'GRANTED', 'staff:ann', 'paper form 17', ?)", p, OLD);
            }
            sql(db, "INSERT INTO legal_hold (patient_id, placed_by, placed_at) VALUES (?, 'admin', ?)", held, OLD);

            List<Instant> pruned = new ArrayList<>();
            RetentionRules rules = new RetentionRules(Map.of(DataClass.AUDIT_TRAIL, Period.ofYears(6)));
            RetentionPurge purge = new RetentionPurge(db, new RetentionTargets(org.careline.store.crypto.FieldCipher.off()), new PatientRecords(org.careline.store.crypto.FieldCipher.off()), new AuditLog(),
                    (c, cutoff) -> {
                        pruned.add(cutoff);
                        return 7;
                    }, rules, Clock.fixed(NOW, ZoneOffset.UTC));
            RetentionPurge.PurgeReport report = purge.purgeDue();

            assertThat(report.removed()).containsEntry("messageBodies", 1201).containsEntry("rawInbound", 1)
                    .containsEntry("webhookBodies", 1).containsEntry("staffNotes", 2).containsEntry("auditTrail", 7)
                    .containsEntry("contactData", 1);
            assertThat(strings(db, "SELECT body FROM outbox WHERE body IS NOT NULL ORDER BY id"))
                    .containsExactly("recent text", "held text", "still pending");
            assertThat(strings(db, "SELECT raw_message FROM inbound_message WHERE raw_message IS NOT NULL"))
                    .singleElement().asString().contains("MRNHELD1");
            assertThat(strings(db, "SELECT body FROM webhook_delivery ORDER BY id"))
                    .containsExactly("{}", "{\"from\":\"16082719009\"}");
            assertThat(strings(db, "SELECT family_name FROM patient ORDER BY id")).containsExactly(null, "HELDPATIENT");
            assertThat(pruned).containsExactly(Instant.parse("2024-03-05T08:30:00Z"));
            assertThat(strings(db, "SELECT detail FROM audit_event WHERE actor = 'system' AND action = 'retention_purge'"))
                    .containsExactly("messageBodies=1201 contactData=1 rawInbound=1 webhookBodies=1 documents=0 "
                            + "staffNotes=2 auditTrail=7 kpiReports=0");
            // The consent stays; only the note staff wrote with it goes (and not the held patient's).
            assertThat(strings(db, "SELECT note FROM consent_event ORDER BY id")).containsExactly(null, "paper form 17");
            // A second run finds nothing more.
            assertThat(purge.run(NOW).total()).isEqualTo(7);
        }
    }

    private static long patient(Database db, String family, String mrn, String phone, Instant at) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO patient (patient_key, identifier, id_authority, "
                    + "family_name, phone_e164, opted_out, updated_at) VALUES (?, ?, 'HOSP', ?, ?, FALSE, ?)",
                    new String[]{"id"})) {
                ps.setString(1, "EHR|HOSP|" + mrn);
                ps.setString(2, mrn);
                ps.setString(3, family);
                ps.setString(4, phone);
                ps.setObject(5, at.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static long appointment(Database db, long patient, String external) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO appointment (source, external_id, patient_id, "
                    + "status, start_at, reachable, created_at, updated_at) VALUES ('EHR', ?, ?, 'BOOKED', ?, TRUE, ?, ?)",
                    new String[]{"id"})) {
                ps.setString(1, external);
                ps.setLong(2, patient);
                ps.setObject(3, OLD.atOffset(ZoneOffset.UTC));
                ps.setObject(4, OLD.atOffset(ZoneOffset.UTC));
                ps.setObject(5, OLD.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static void sql(Database db, String sql, Object... args) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i] instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : args[i]);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static List<String> strings(Database db, String sql) {
        return db.inTransaction((Connection c) -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
