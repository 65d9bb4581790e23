package org.careline.store;

import org.careline.config.Settings;
import org.careline.support.EngineFixture;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.Postgres;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schema and the engine on PostgreSQL ({@link Postgres}: zonky's embedded PostgreSQL 14, from Maven Central).
 * Each test gets a database of its own, created empty and owned by a non-superuser role, as in production.
 */
class PostgresSchemaTest {

    // A Tuesday at 14:00 in Detroit: outside quiet hours, so the confirmation is due at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String USER = Postgres.USER;
    private static final String PASSWORD = Postgres.PASSWORD;

    private Map<String, String> env;
    private String url;
    private EngineFixture fx;

    @BeforeEach
    void freshDatabase() throws Exception {
        env = Postgres.freshDatabaseEnv();
        url = env.get("CARELINE_DB_URL");
    }

    @AfterEach
    void stopEngine() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private Map<String, String> dbEnv() {
        return env;
    }

    @Test
    void concurrentDispatchersNeverClaimTheSameRowOnPostgres() throws Exception {
        try (Database db = Database.open(Settings.from(dbEnv()).database())) {
            OutboxClaimTest.assertEachDueRowIsClaimedOnce(db);
        }
    }

    @Test
    void flywayMigratesEveryVersionUnchangedOnPostgres() throws Exception {
        Settings settings = Settings.from(dbEnv());
        try (Database db = Database.open(settings.database()); Connection c = db.dataSource().getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(strings(c, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success "
                    + "ORDER BY installed_rank")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17");
            assertThat(strings(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .contains("inbound_message", "patient", "appointment", "appointment_event", "outbox",
                            "message_event", "alert", "webhook_delivery", "message_status", "inbound_reply",
                            "contact_preference", "staff_handoff", "writeback_request", "inbound_replay",
                            "dead_letter_action", "kpi_report", "kpi_report_delivery", "reply_word_match", "stats_day",
                            "stats_watermark", "stats_service", "portal_open");
            assertThat(strings(c, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                    .containsExactly(USER);
            // Instants are stored as timestamptz, ids are identity columns, the idempotency key is a constraint.
            assertThat(strings(c, "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND column_name IN ('received_at', 'due_at', 'start_at', 'claimed_until', 'raised_at')"))
                    .containsExactly("timestamp with time zone");
            assertThat(strings(c, "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name"))
                    .containsExactly("alert", "alert_delivery", "api_token", "appointment", "appointment_event",
                            "audit_anchor", "audit_event", "consent_event", "dead_letter_action", "document_attachment", "fhir_work", "handoff_event",
                            "inbound_message", "inbound_replay", "inbound_reply", "kpi_report", "kpi_report_delivery", "message_event", "message_status", "outbox", "patient", "patient_erasure", "portal_open", "reply_word_match", "result_notice",
                            "result_order", "staff_handoff", "staff_user", "webhook_delivery", "writeback_request");
            assertThat(strings(c, "SELECT constraint_name FROM information_schema.table_constraints "
                    + "WHERE table_name = 'inbound_message' AND constraint_type = 'UNIQUE'"))
                    .containsExactly("uq_inbound_sender_control");
        }
        // A second start finds the versions applied and validates them.
        try (Database db = Database.open(settings.database()); Connection c = db.dataSource().getConnection()) {
            assertThat(strings(c, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL "
                    + "ORDER BY installed_rank")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17");
        }
    }

    @Test
    void engineOnPostgresStoresSendsAndAnswersAResendAsTheFirstCopy() throws Exception {
        fx = EngineFixture.start(dbEnv(), NOW);
        Instant start = NOW.plus(Duration.ofDays(3));
        Siu siu = Siu.booking(start);
        String message = siu.build();

        String first;
        try (MllpClient client = fx.mllp()) {
            first = client.send(message);
        }
        assertThat(MllpClient.field(first, "MSA", 1)).as(first).isEqualTo("AA");
        assertThat(MllpClient.field(first, "MSA", 2)).isEqualTo(siu.controlId());
        assertThat(fx.count("SELECT COUNT(*) FROM appointment a JOIN patient p ON p.id = a.patient_id "
                + "WHERE a.external_id = ? AND a.status = 'BOOKED' AND a.start_at = ? AND p.phone_e164 = '+16082719000'",
                siu.fillerId(), OffsetDateTime.ofInstant(start, ZoneOffset.UTC))).isEqualTo(1);

        await().atMost(Duration.ofSeconds(15)).until(() -> fx.meta.received().size() == 1);
        MetaStub.Received r = fx.meta.received().get(0);
        assertThat(r.path()).isEqualTo("/v23.0/" + EngineFixture.PHONE_NUMBER_ID + "/messages");
        assertThat(r.json().path("to").asText()).isEqualTo("16082719000");
        assertThat(r.json().path("template").path("name").asText()).isEqualTo("appointment_confirmation");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.count("SELECT COUNT(*) FROM outbox "
                + "WHERE kind = 'CONFIRMATION' AND status = 'SENT' AND wamid = 'wamid.TEST1'") == 1);
        assertThat(fx.query("SELECT label FROM outbox WHERE status = 'PENDING' ORDER BY due_at").stream()
                .map(row -> (String) row.get("LABEL")).toList()).containsExactly("48h", "2h");

        // The same message again, on a new connection: the same answer, and nothing else happens.
        String again;
        try (MllpClient client = fx.mllp()) {
            again = client.send(message);
        }
        assertThat(segment(again, "MSA")).isEqualTo(segment(first, "MSA"));
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_message")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM appointment")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM appointment_event")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox")).isEqualTo(3);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING' AND due_at <= ?",
                OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))).isZero();
        assertThat(fx.meta.received()).hasSize(1);
    }

    /**
     * A resend that races the first copy: its look-up finds nothing (the first copy is not committed yet), so it
     * inserts, and PostgreSQL makes that insert wait on the unique key until the first copy commits, then fails it
     * with 23505. On PostgreSQL a failed statement aborts the whole transaction, so the engine must roll back and
     * answer from the committed row in a new one, and the pooled connection must come back usable.
     */
    @Test
    void resendRacingTheFirstCopyHitsTheUniqueKeyAndGetsTheFirstAnswer() throws Exception {
        fx = EngineFixture.start(dbEnv(), NOW);
        Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3)));

        try (Connection firstCopy = DriverManager.getConnection(url, USER, PASSWORD)) {
            firstCopy.setAutoCommit(false);
            try (PreparedStatement ps = firstCopy.prepareStatement("INSERT INTO inbound_message (sender, control_id, "
                    + "message_type, ack_code, ack_text, received_at) VALUES ('EHR|HOSP', ?, 'SIU^S12', 'AA', NULL, ?)")) {
                ps.setString(1, siu.controlId());
                ps.setObject(2, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
                ps.executeUpdate();
            }

            CompletableFuture<String> ack = CompletableFuture.supplyAsync(() -> {
                try (MllpClient client = fx.mllp()) {
                    return client.send(siu.build());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The engine's insert is now queued behind ours on the unique key.
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.count("SELECT COUNT(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    + "AND query LIKE 'INSERT INTO inbound_message%'") == 1);
            assertThat(ack).isNotDone();
            firstCopy.commit();

            String answer = ack.get(15, TimeUnit.SECONDS);
            assertThat(MllpClient.field(answer, "MSA", 1)).as(answer).isEqualTo("AA");
            assertThat(MllpClient.field(answer, "MSA", 2)).isEqualTo(siu.controlId());
            assertThat(answer).doesNotContain("ERR|");
        }
        // The losing copy changed nothing: its whole transaction was rolled back.
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_message WHERE control_id = ?", siu.controlId())).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM appointment")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM patient")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM outbox")).isZero();

        // The engine goes on working after the failed statement: new messages are stored and confirmed.
        List<Siu> next = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            next.add(Siu.booking(NOW.plus(Duration.ofDays(3))));
        }
        List<String> acks;
        try (MllpClient client = fx.mllp()) {
            acks = client.pipeline(next.stream().map(Siu::build).toList());
        }
        assertThat(acks).allSatisfy(a -> assertThat(MllpClient.field(a, "MSA", 1)).as(a).isEqualTo("AA"));
        assertThat(fx.count("SELECT COUNT(*) FROM appointment")).isEqualTo(20);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count("SELECT COUNT(*) FROM outbox "
                + "WHERE kind = 'CONFIRMATION' AND status = 'SENT'") == 20);
    }

    /**
     * Webhooks on PostgreSQL: messages and statuses applied once each, including a copy of a message that races
     * another transaction holding the same wamid. The engine's insert waits on the unique key, fails with 23505 once
     * the other commits, and (PostgreSQL having aborted that transaction) must roll back and count it a duplicate.
     */
    @Test
    void webhooksOnPostgresHaveOneEffectPerWamidEvenWhenRacing() throws Exception {
        fx = EngineFixture.start(dbEnv(), NOW);
        Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3)));
        try (MllpClient client = fx.mllp()) {
            assertThat(MllpClient.field(client.send(siu.build()), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.count("SELECT COUNT(*) FROM outbox "
                + "WHERE status = 'SENT' AND wamid = 'wamid.TEST1'") == 1);

        String first = MetaWebhooks.newWamid();
        byte[] body = MetaWebhooks.bytes(MetaWebhooks.textMessage(first, "16505550400", NOW));
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(
                MetaWebhooks.status("wamid.TEST1", "read", NOW.plusSeconds(3)),
                MetaWebhooks.status("wamid.TEST1", "delivered", NOW.plusSeconds(2)),
                MetaWebhooks.status("wamid.TEST1", "read", NOW.plusSeconds(3)))).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.count("SELECT COUNT(*) FROM webhook_delivery "
                + "WHERE processed_at IS NULL") == 0);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", first)).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM message_status WHERE wamid = 'wamid.TEST1'")).isEqualTo(2);
        assertThat(fx.query("SELECT delivery_status FROM outbox WHERE wamid = 'wamid.TEST1'").get(0))
                .containsEntry("DELIVERY_STATUS", "read");
        assertThat(fx.count("SELECT COUNT(*) FROM contact_preference WHERE phone_e164 = '+16505550400' "
                + "AND last_inbound_at IS NOT NULL")).isEqualTo(1);

        String racing = MetaWebhooks.newWamid();
        try (Connection other = DriverManager.getConnection(url, USER, PASSWORD)) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO inbound_reply (wamid, from_phone, "
                    + "message_type, recorded_at) VALUES (?, '+16505550401', 'text', ?)")) {
                ps.setString(1, racing);
                ps.setObject(2, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
                ps.executeUpdate();
            }
            assertThat(MetaWebhooks.post(fx, MetaWebhooks.textMessage(racing, "16505550401", NOW)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.count("SELECT COUNT(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    + "AND query LIKE 'INSERT INTO inbound_reply%'") == 1);
            other.commit();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.count("SELECT COUNT(*) FROM webhook_delivery "
                + "WHERE processed_at IS NULL") == 0);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE error IS NOT NULL")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", racing)).isEqualTo(1);
        // The losing transaction changed nothing: no window opened for the number by it.
        assertThat(fx.count("SELECT COUNT(*) FROM contact_preference WHERE phone_e164 = '+16505550401'")).isZero();
    }

    private static String segment(String message, String name) {
        for (String s : message.split("\r")) {
            if (s.startsWith(name + "|")) {
                return s;
            }
        }
        return null;
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
