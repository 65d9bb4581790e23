package org.careline.store;

import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An AA is a promise that the message is stored. The engine runs as a separate JVM on an H2 file, takes SIU messages
 * over MLLP, and is killed with SIGKILL right after the last AA (no shutdown hook, no flush); the file, opened
 * directly, must hold every acknowledged message. The engine then starts again on the same file and sends the
 * confirmations that were still waiting.
 */
class CrashDurabilityTest {

    private static final int N = 20;
    private static final Duration BOOT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final List<EngineProcess> engines = new ArrayList<>();
    private MetaStub meta;

    @AfterEach
    void cleanUp() throws Exception {
        for (EngineProcess e : engines) {
            e.close();
        }
        if (meta != null) {
            meta.close();
        }
    }

    /** One SIU sent and acknowledged: what the database must have after the crash. */
    private record Sent(String controlId, String fillerId, String to) {
    }

    @Test
    void everyAcknowledgedMessageSurvivesSigkillAndPendingConfirmationsGoOutAfterRestart() throws Exception {
        meta = new MetaStub();
        String dbUrl = "jdbc:h2:file:" + tmp.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        // A zone where it is about noon now, so the default site's quiet hours (21:00-08:00) cannot hold the
        // confirmations back whenever this runs. Facility "Nowhere" matches no site: the default site, whose
        // zone is "default", i.e. CARELINE_TIMEZONE.
        int utcHour = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        String zone = ZoneOffset.ofHours(12 - utcHour).getId();

        // First life: the Cloud API cannot be reached (a closed port), so each confirmation stays PENDING, waiting
        // for a retry, until the crash. (A booking's commit starts a dispatch round at once: a slow timer alone no
        // longer holds them back.)
        EngineProcess first = start(dbUrl, zone, "first", 3_600_000, Map.of("WHATSAPP_API_BASE", "http://127.0.0.1:9",
                "CARELINE_RETRY_BASE_MS", "100", "CARELINE_MAX_SEND_ATTEMPTS", "1000"));
        first.awaitHealthy(BOOT);

        List<Sent> sent = new ArrayList<>();
        Instant start = Instant.now().plus(Duration.ofDays(3));
        try (MllpClient client = new MllpClient(first.mllpPort())) {
            for (int i = 0; i < N; i++) {
                String local = String.valueOf(9010 + i);
                Siu siu = Siu.booking(start).facility("Nowhere").phone("^PRN^CP^^1^608^271" + local);
                String ack = client.send(siu.build());
                assertThat(MllpClient.field(ack, "MSA", 1)).as("ACK %d: %s", i, ack).isEqualTo("AA");
                assertThat(MllpClient.field(ack, "MSA", 2)).isEqualTo(siu.controlId());
                sent.add(new Sent(siu.controlId(), siu.fillerId(), "1608271" + local));
            }
        }

        int exit = first.kill(Duration.ofSeconds(30));
        // destroyForcibly() on Linux is kill(pid, SIGKILL): a JVM killed by signal 9 reports 128 + 9.
        assertThat(exit).as("exit status after destroyForcibly (SIGKILL)").isEqualTo(137);
        Set<String> receivedBeforeCrash = recipients();

        Map<String, String> confirmationAtCrash = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
            for (Sent s : sent) {
                assertThat(count(c, "SELECT COUNT(*) FROM inbound_message WHERE sender = 'EHR|HOSP' AND control_id = ? "
                        + "AND ack_code = 'AA'", s.controlId())).as("inbound_message for %s", s.controlId()).isEqualTo(1);
                assertThat(count(c, "SELECT COUNT(*) FROM appointment a JOIN patient p ON p.id = a.patient_id "
                        + "WHERE a.external_id = ? AND a.status = 'BOOKED' AND p.phone_e164 = ?",
                        s.fillerId(), "+" + s.to())).as("appointment %s", s.fillerId()).isEqualTo(1);
                assertThat(count(c, "SELECT COUNT(*) FROM appointment_event e JOIN appointment a "
                        + "ON a.id = e.appointment_id WHERE a.external_id = ?", s.fillerId())).isEqualTo(1);
                List<String> statuses = strings(c, "SELECT o.status FROM outbox o JOIN appointment a "
                        + "ON a.id = o.appointment_id WHERE a.external_id = ? AND o.kind = 'CONFIRMATION'", s.fillerId());
                assertThat(statuses).as("confirmation of %s", s.fillerId()).hasSize(1);
                confirmationAtCrash.put(s.fillerId(), statuses.get(0));
            }
        }
        List<Sent> pending = sent.stream().filter(s -> confirmationAtCrash.get(s.fillerId()).equals("PENDING")).toList();
        assertThat(pending).as("confirmations still PENDING at the crash (states: %s)", confirmationAtCrash).isNotEmpty();
        // A confirmation the first life sent is SENT; none can be lost in between (SENDING waits out its lease).
        assertThat(confirmationAtCrash.values()).allMatch(s -> Set.of("PENDING", "SENDING", "SENT").contains(s));

        // Second life on the same file: Flyway finds V1 and V2 applied, and the waiting confirmations go out.
        EngineProcess second = start(dbUrl, zone, "second", 200, Map.of());
        second.awaitHealthy(BOOT);
        Set<String> expected = pending.stream().map(Sent::to).collect(Collectors.toSet());
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> recipients().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("after the restart, confirmations went to " + recipients() + " but not all of "
                    + expected + "\n" + second.output(), e);
        }
        assertThat(second.stop(Duration.ofSeconds(60))).as("exit after SIGTERM\n%s", second.output())
                .isIn(0, 143);
        String secondOutput = second.output();

        // Nobody got a second confirmation: what went out before the crash was not sent again.
        Map<String, Long> perRecipient = meta.received().stream()
                .collect(Collectors.groupingBy(r -> r.json().path("to").asText(), Collectors.counting()));
        assertThat(perRecipient.values()).allMatch(n -> n == 1);
        assertThat(receivedBeforeCrash).doesNotContainAnyElementsOf(expected);

        try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
            // Flyway 11 also writes a "schema history table created" marker row, without a version.
            assertThat(strings(c, "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL "
                    + "ORDER BY \"installed_rank\"")).containsExactlyElementsOf(shippedVersions());
            assertThat(count(c, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE NOT \"success\"")).isZero();
            for (Sent s : pending) {
                assertThat(strings(c, "SELECT o.status || ' ' || COALESCE(o.wamid, '-') FROM outbox o JOIN appointment a "
                        + "ON a.id = o.appointment_id WHERE a.external_id = ? AND o.kind = 'CONFIRMATION'", s.fillerId()))
                        .as("confirmation of %s after the restart\n%s", s.fillerId(), secondOutput)
                        .singleElement().asString().startsWith("SENT wamid.TEST");
            }
            assertThat(count(c, "SELECT COUNT(*) FROM inbound_message")).isEqualTo(N);
            assertThat(count(c, "SELECT COUNT(*) FROM appointment")).isEqualTo(N);
        }
    }

    private EngineProcess start(String dbUrl, String zone, String name, int dispatchIntervalMs,
                                Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", dbUrl);
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        env.put("CARELINE_TIMEZONE", zone);
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("CARELINE_DISPATCH_INTERVAL_MS", String.valueOf(dispatchIntervalMs));
        env.put("WHATSAPP_API_BASE", meta.baseUrl());
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", EngineFixture.TOKEN);
        env.putAll(extraEnv);
        EngineProcess engine = EngineProcess.start(env, tmp, name);
        engines.add(engine);
        return engine;
    }

    private Set<String> recipients() {
        return meta.received().stream().map(r -> r.json().path("to").asText()).collect(Collectors.toSet());
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** The versions of the migrations the jar ships (V1__….sql …), in order: every one applied once, all succeeded. */
    private static java.util.List<String> shippedVersions() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            // The SQL files, and version 9, a Java migration (TrailMigration: its PostgreSQL trigger).
            return java.util.stream.Stream.concat(files.map(f -> f.getFileName().toString())
                            .filter(n -> n.matches("V\\d+__.+\\.sql")).map(n -> n.substring(1, n.indexOf("__"))),
                            java.util.stream.Stream.of(new TrailMigration().getVersion().getVersion()))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();
        }
    }
}
