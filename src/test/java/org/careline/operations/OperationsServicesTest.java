package org.careline.operations;

import org.careline.config.Settings;
import org.careline.store.Database;
import org.careline.store.DeadLetterStore;
import org.careline.store.PatientHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The services' outcomes, on an H2 database of their own (the queries themselves: OperationsStoreTest). */
class OperationsServicesTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    private Database db;
    private final AtomicInteger nudges = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Settings.from(Map.of("CARELINE_DB_URL", "jdbc:h2:file:"
                + Files.createTempDirectory("careline-ops-services").resolve("db") + ";WRITE_DELAY=0")).database());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long insert(String sql, Object... args) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, new String[]{"id"})) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i] instanceof Instant t
                            ? java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC) : args[i]);
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @ParameterizedTest
    @CsvSource(value = {
            "outbox-x, not a number",
            "outbox-0, no row 0",
            "-12, no queue",
            "letters-12, unknown queue",
            "outbox12, no dash",
            "NULL, no id",
    }, nullValues = "NULL")
    void anIdThatNamesNoQueueAndRowIsNotFound(String id, String why) {
        DeadLetters deadLetters = new DeadLetters(db, new DeadLetterStore(), nudges::incrementAndGet);
        assertThat(deadLetters.retry(id, "ana", NOW)).as(why).isEqualTo(new DeadLetters.NotFound());
        assertThat(deadLetters.discard(id, "ana", NOW)).as(why).isEqualTo(new DeadLetters.NotFound());
        assertThat(deadLetters.find(id)).as(why).isEmpty();
    }

    @Test
    void aWebhookRefusedWhenItArrivedIsListedButNotRetriedAndCanBeDiscarded() {
        DeadLetters deadLetters = new DeadLetters(db, new DeadLetterStore(), nudges::incrementAndGet);
        long refused = insert("INSERT INTO webhook_delivery (body, received_at, processed_at, attempts, error) "
                + "VALUES ('x', ?, ?, 0, 'body holds a NUL character')", NOW, NOW);
        String id = "webhook-" + refused;
        assertThat(deadLetters.list(null, 10)).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(id);
            assertThat(d.retryable()).isFalse();
            assertThat(d.site()).isNull();
        });
        assertThat(deadLetters.list(java.util.Set.of("gh-clinic"), 10)).isEmpty();
        assertThat(deadLetters.retry(id, "ana", NOW)).isInstanceOf(DeadLetters.NotRetryable.class);
        assertThat(deadLetters.discard(id, "ana", NOW)).isEqualTo(new DeadLetters.Discarded(id));
        assertThat(deadLetters.discard(id, "ana", NOW)).isInstanceOf(DeadLetters.NotDiscardable.class);
        assertThat(deadLetters.list(null, 10)).isEmpty();
        assertThat(nudges).hasValue(0);
    }

    @Test
    void aRetriedOutboxMessageNudgesTheDispatcher() {
        DeadLetters deadLetters = new DeadLetters(db, new DeadLetterStore(), nudges::incrementAndGet);
        long patient = insert("INSERT INTO patient (patient_key, updated_at) VALUES ('k', ?)", NOW);
        long appt = insert("INSERT INTO appointment (source, external_id, patient_id, status, reachable, created_at, "
                + "updated_at) VALUES ('S', 'E', ?, 'BOOKED', TRUE, ?, ?)", patient, NOW, NOW);
        long dead = insert("INSERT INTO outbox (appointment_id, kind, label, due_at, status, attempts, created_at, "
                + "updated_at) VALUES (?, 'CONFIRMATION', 'confirmation', ?, 'DEAD', 3, ?, ?)", appt, NOW, NOW, NOW);
        assertThat(deadLetters.find("outbox-" + dead)).hasValueSatisfying(d -> assertThat(d.attempts()).isEqualTo(3));
        assertThat(deadLetters.retry("outbox-" + dead, "ana", NOW)).isEqualTo(new DeadLetters.Requeued("outbox-" + dead));
        assertThat(nudges).hasValue(1);
        assertThat(deadLetters.retry("outbox-" + dead, "ana", NOW)).isInstanceOf(DeadLetters.NotRetryable.class);
        assertThat(nudges).hasValue(1);
    }

    @Test
    void aTimelineIsEmptyForNoSuchPatientAndNamesThePatient() {
        PatientTimeline timelines = new PatientTimeline(db, new PatientHistory(org.careline.store.crypto.FieldCipher.off()));
        assertThat(timelines.of(42, 10)).isEmpty();
        long patient = insert("INSERT INTO patient (patient_key, given_name, family_name, phone_e164, language, "
                + "updated_at) VALUES ('k', 'Jane', 'Doe', '+13135550101', 'es', ?)", NOW);
        assertThat(timelines.of(patient, 10)).hasValueSatisfying(t -> {
            assertThat(t.patient()).isEqualTo(new PatientTimeline.Patient(patient, "Jane Doe", "+13135550101", "es",
                    false));
            assertThat(t.items()).isEmpty();
        });
    }

    @ParameterizedTest
    @CsvSource(value = {
            "Jane, Doe, Jane Doe",
            "NULL, Doe, Doe",
            "Jane, NULL, Jane",
            "NULL, NULL, NULL",
            "' ', ' ', NULL",
    }, nullValues = "NULL")
    void aPatientsNameIsGivenThenFamily(String given, String family, String expected) {
        assertThat(PatientTimeline.name(given, family)).isEqualTo(expected);
    }
}
