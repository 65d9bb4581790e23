package org.careline.store;

import org.careline.config.Settings;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue figures for metrics on both databases: only items due now count, the oldest one's wait is measured
 * from when it became due (received, for webhooks; opened, for triage items), and the FHIR lags come from the
 * subscription and catch-up state.
 */
class QueueDepthsTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00.123456Z");

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void countsWhatIsDueAndHowLongTheOldestHasWaited(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-depths")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        Database db = Database.open(Settings.from(env).database());
        try {
            QueueDepths depths = new QueueDepths();
            Map<String, QueueDepths.Depth> empty = db.inTransaction(c -> depths.depths(c, NOW));
            assertThat(empty.keySet()).containsExactlyElementsOf(QueueDepths.QUEUES);
            assertThat(empty.values()).allSatisfy(d -> {
                assertThat(d.due()).isZero();
                assertThat(d.oldestDueAge()).isNull();
            });

            WebhookDeliveries webhooks = new WebhookDeliveries(org.careline.store.crypto.FieldCipher.off());
            FhirWorkQueue fhirWork = new FhirWorkQueue();
            FhirSyncState fhirState = new FhirSyncState();
            db.inTransaction(c -> {
                webhooks.store(c, "{\"a\":1}", null, NOW.minusSeconds(90));
                webhooks.store(c, "{\"a\":2}", null, NOW.minusSeconds(10));
                fhirWork.addRead(c, "Appointment/1", "k1", "sub-1", NOW.minusSeconds(30));
                fhirWork.addRead(c, "Appointment/2", "k2", "sub-1", NOW.plusSeconds(30)); // not due yet
                fhirState.sawEvent(c, "sub-1", 7, NOW.minusSeconds(45));
                fhirState.setSyncedUntil(c, "Appointment", NOW.minusSeconds(600), NOW);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_handoff (phone_e164, reason, "
                        + "urgent, created_at, queue, status) VALUES ('+10000000000', 'HELP', FALSE, ?, 'nurse', ?)")) {
                    ps.setObject(1, OffsetDateTime.ofInstant(NOW.minusSeconds(300), ZoneOffset.UTC));
                    ps.setString(2, "OPEN");
                    ps.executeUpdate();
                    ps.setObject(1, OffsetDateTime.ofInstant(NOW.minusSeconds(900), ZoneOffset.UTC));
                    ps.setString(2, "RESOLVED");
                    ps.executeUpdate();
                }
                return null;
            });

            Map<String, QueueDepths.Depth> d = db.inTransaction(c -> depths.depths(c, NOW));
            assertThat(d.get("webhook")).isEqualTo(new QueueDepths.Depth(2, Duration.ofSeconds(90)));
            assertThat(d.get("fhir_work").due()).isEqualTo(1);
            assertThat(d.get("fhir_work").oldestDueAge()).isBetween(Duration.ZERO, Duration.ofSeconds(30));
            assertThat(d.get("triage")).isEqualTo(new QueueDepths.Depth(1, Duration.ofSeconds(300)));
            assertThat(d.get("outbox").due()).isZero();

            QueueDepths.FhirLag lag = db.inTransaction(c -> depths.fhirLag(c, NOW));
            assertThat(lag.sinceLastEvent()).isEqualTo(Duration.ofSeconds(45));
            assertThat(lag.syncedUntilLag()).containsExactly(Map.entry("Appointment", Duration.ofSeconds(600)));
        } finally {
            db.close();
        }
    }
}
