package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.AuditEntry;
import org.careline.support.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hash chain over audit_event: sealing, verifying, pruning with an anchor, and PostgreSQL's guard trigger. */
class AuditTrailTest {

    private static final AuditTrail TRAIL = new AuditTrail();
    private static final AuditLog LOG = new AuditLog();

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-trail")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    private static void write(Database db, String action, Instant at) {
        db.inTransaction(c -> {
            LOG.engine(c, action, "inbound:1", "ok", null, at);
            return null;
        });
    }

    private static final AuditTrail.Entry BASE = new AuditTrail.Entry(7, 3L, Instant.parse("2030-03-05T15:00:00Z"),
            "nurse1", "view_patient", 12L, "patient:12", "gh", "ok", null, "10.0.0.1", null, null);

    /** Every field is covered by the hash, and null is not the same as empty. */
    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "actor, nurse2",
            "action, view_handoff",
            "subject, patient:13",
            "site, ''",
            "outcome, denied",
            "detail, ''",
            "remote, 10.0.0.2",
            "at, 2030-03-05T15:00:00.000001Z",
    })
    void eachFieldChangesTheHash(String field, String value) {
        AuditTrail.Entry e = BASE;
        AuditTrail.Entry changed = switch (field) {
            case "actor" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), value, e.action(), e.patientId(), e.subject(),
                    e.siteCode(), e.outcome(), e.detail(), e.remoteAddress(), null, null);
            case "action" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), value, e.patientId(), e.subject(),
                    e.siteCode(), e.outcome(), e.detail(), e.remoteAddress(), null, null);
            case "subject" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), e.action(), e.patientId(), value,
                    e.siteCode(), e.outcome(), e.detail(), e.remoteAddress(), null, null);
            case "site" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), e.action(), e.patientId(),
                    e.subject(), value, e.outcome(), e.detail(), e.remoteAddress(), null, null);
            case "outcome" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), e.action(), e.patientId(),
                    e.subject(), e.siteCode(), value, e.detail(), e.remoteAddress(), null, null);
            case "detail" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), e.action(), e.patientId(),
                    e.subject(), e.siteCode(), e.outcome(), value, e.remoteAddress(), null, null);
            case "remote" -> new AuditTrail.Entry(e.id(), e.seq(), e.at(), e.actor(), e.action(), e.patientId(),
                    e.subject(), e.siteCode(), e.outcome(), e.detail(), value, null, null);
            case "at" -> new AuditTrail.Entry(e.id(), e.seq(), Instant.parse(value), e.actor(), e.action(),
                    e.patientId(), e.subject(), e.siteCode(), e.outcome(), e.detail(), e.remoteAddress(), null, null);
            default -> throw new IllegalArgumentException(field);
        };
        assertThat(AuditTrail.hash(changed, 3, AuditTrail.GENESIS)).isNotEqualTo(AuditTrail.hash(e, 3,
                AuditTrail.GENESIS));
    }

    @Test
    void seqIdAndPreviousHashAreInTheHash() {
        String h = AuditTrail.hash(BASE, 3, AuditTrail.GENESIS);
        assertThat(h).hasSize(64).isEqualTo(AuditTrail.hash(BASE, 3, AuditTrail.GENESIS));
        assertThat(AuditTrail.hash(BASE, 4, AuditTrail.GENESIS)).isNotEqualTo(h);
        assertThat(AuditTrail.hash(BASE, 3, "1".repeat(64))).isNotEqualTo(h);
        AuditTrail.Entry otherId = new AuditTrail.Entry(8, 3L, BASE.at(), BASE.actor(), BASE.action(),
                BASE.patientId(), BASE.subject(), BASE.siteCode(), BASE.outcome(), BASE.detail(),
                BASE.remoteAddress(), null, null);
        assertThat(AuditTrail.hash(otherId, 3, AuditTrail.GENESIS)).isNotEqualTo(h);
    }

    /** Writers never wait on the chain: many insert at once while the sealer runs; the chain comes out whole. */
    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void concurrentWritersAndTheSealerMakeOneUnbrokenChain(String database) throws Exception {
        try (Database db = open(database)) {
            Instant now = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        db.inSharedTransaction(c -> {
                            LOG.engine(c, "webhook_in", "webhook:1", "ok", null, now);
                            return null;
                        });
                    }
                }));
            }
            while (writers.stream().anyMatch(f -> !f.isDone())) {
                TRAIL.sealAll(db);
            }
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
            assertThat(TRAIL.sealAll(db)).isGreaterThanOrEqualTo(0);
            AuditTrail.Verification v = db.inTransaction(TRAIL::verify);
            assertThat(v).isEqualTo(new AuditTrail.Intact(200, 200L));
        }
    }

    /** The retention purge's prune removes old entries and leaves an anchor: verify stays green from there. */
    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void pruneKeepsTheChainVerifiable(String database) throws Exception {
        try (Database db = open(database)) {
            Instant now = Instant.now();
            Instant old = now.minus(Duration.ofDays(400));
            for (int i = 0; i < 5; i++) {
                write(db, "hl7_in", old.plusSeconds(i));
            }
            for (int i = 0; i < 3; i++) {
                write(db, "hl7_in", now.plusSeconds(i));
            }
            TRAIL.sealAll(db);
            int removed = db.inTransaction(c -> TRAIL.pruneBefore(c, now.minus(Duration.ofDays(365))));
            assertThat(removed).isEqualTo(5);
            // Nothing more to remove the second time.
            int again = db.inTransaction(c -> TRAIL.pruneBefore(c, now.minus(Duration.ofDays(365))));
            assertThat(again).isZero();
            TRAIL.sealAll(db);
            // The 3 kept, and the prune's own entry (its count), from seq 6 on.
            assertThat(db.inTransaction(TRAIL::verify)).isEqualTo(new AuditTrail.Intact(4, 9L));
            List<AuditLog.Stored> engineEntries = db.inTransaction(c -> LOG.find(c, AuditLog.ENGINE, null, null, null,
                    10));
            assertThat(engineEntries).anyMatch(s -> s.action().equals("audit_prune")
                    && s.detail().startsWith("removed=5 "));
            // Removing the first retained entry behind the anchor's back is still a gap.
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                        s.execute("ALTER TABLE audit_event DISABLE TRIGGER careline_audit_guard");
                    }
                    s.executeUpdate("DELETE FROM audit_event WHERE seq = 6");
                }
                return null;
            });
            assertThat(db.inTransaction(TRAIL::verify)).isInstanceOf(AuditTrail.Missing.class)
                    .extracting(v -> ((AuditTrail.Missing) v).seq()).isEqualTo(6L);
        }
    }

    /** A prune that removes everything sealed: new entries chain on from the anchor. */
    @Test
    void pruningEverythingLetsTheChainGoOn() throws Exception {
        try (Database db = open("H2")) {
            Instant now = Instant.now();
            write(db, "hl7_in", now.minus(Duration.ofDays(400)));
            write(db, "hl7_in", now.minus(Duration.ofDays(399)));
            TRAIL.sealAll(db);
            int removed = db.inTransaction(c -> TRAIL.pruneBefore(c, now.minus(Duration.ofDays(1))));
            assertThat(removed).isEqualTo(2);
            write(db, "hl7_in", now);
            TRAIL.sealAll(db);
            assertThat(db.inTransaction(TRAIL::verify)).isEqualTo(new AuditTrail.Intact(2, 4L));
        }
    }

    /** On PostgreSQL the engine's own user can neither change an audit row nor remove a recent one. */
    @Test
    void postgresRefusesUpdatesAndRecentDeletes() throws Exception {
        try (Database db = open("PostgreSQL")) {
            Instant now = Instant.now();
            write(db, "hl7_in", now.minus(Duration.ofDays(200)));
            write(db, "hl7_in", now);
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "UPDATE audit_event SET detail = 'x'")))
                    .hasRootCauseInstanceOf(SQLException.class).rootCause().hasMessageContaining("may not be changed");
            // The sealer's one update (unsealed to sealed, nothing else) is the one allowed.
            assertThat(TRAIL.sealAll(db)).isEqualTo(2);
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "UPDATE audit_event SET seq = seq + 100")))
                    .rootCause().hasMessageContaining("may not be changed");
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "UPDATE audit_event SET hash = NULL, seq = NULL, "
                    + "prev_hash = NULL"))).rootCause().hasMessageContaining("may not be changed");
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "DELETE FROM audit_event WHERE at > "
                    + "CURRENT_TIMESTAMP - INTERVAL '1' DAY"))).rootCause().hasMessageContaining("younger than 6 months");
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "TRUNCATE audit_event")))
                    .rootCause().hasMessageContaining("truncated");
            // An entry past 6 months may go (the retention purge's prune); its anchor stays as written.
            int pruned = db.inTransaction(c -> TRAIL.pruneBefore(c, now.minus(Duration.ofDays(190))));
            assertThat(pruned).isEqualTo(1);
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "UPDATE audit_anchor SET removed = 0")))
                    .rootCause().hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.inTransaction(c -> update(c, "DELETE FROM audit_anchor")))
                    .rootCause().hasMessageContaining("append-only");
            Set<String> actions = new HashSet<>();
            db.inTransaction(c -> LOG.find(c, null, null, null, null, 10)).forEach(s -> actions.add(s.action()));
            assertThat(actions).containsExactlyInAnyOrder("hl7_in", "audit_prune");
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
        }
    }
}
