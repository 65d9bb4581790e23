package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.MessageKind;
import org.careline.model.PlannedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Several dispatchers on one database: every due row is claimed by exactly one of them. */
class OutboxClaimTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    private Database db;
    private final Outbox outbox = new Outbox(org.careline.store.crypto.FieldCipher.off());

    @BeforeEach
    void open() throws Exception {
        String url = "jdbc:h2:file:" + Files.createTempDirectory("careline-claim").resolve("db") + ";WRITE_DELAY=0";
        db = Database.open(Settings.from(Map.of("CARELINE_DB_URL", url)).database());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void concurrentDispatchersNeverClaimTheSameRow() throws Exception {
        assertEachDueRowIsClaimedOnce(db);
    }

    /** Four dispatchers claim concurrently from {@code db}: no row twice, every due row once. Used on PostgreSQL too. */
    static void assertEachDueRowIsClaimedOnce(Database db) throws Exception {
        Outbox outbox = new Outbox(org.careline.store.crypto.FieldCipher.off());
        int rows = 400;
        long appointment = seedAppointment(db);
        List<PlannedMessage> due = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            due.add(new PlannedMessage(MessageKind.REMINDER, "r" + i, NOW.minusSeconds(i)));
        }
        // Not yet due: must not be claimed by anyone.
        due.add(new PlannedMessage(MessageKind.REMINDER, "later", NOW.plus(Duration.ofHours(1))));
        db.inTransaction(c -> { outbox.add(c, appointment, due, NOW); return null; });

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            String owner = "engine-" + d;
            Callable<List<Long>> claimAll = () -> {
                List<Long> mine = new ArrayList<>();
                List<Long> batch;
                while (!(batch = outbox.claimDue(db.dataSource(), owner, NOW, Duration.ofMinutes(5), 37)).isEmpty()) {
                    mine.addAll(batch);
                }
                return mine;
            };
            results.add(pool.submit(claimAll));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();

        Set<Long> distinct = new HashSet<>(all);
        assertThat(all).hasSize(rows).as("no row claimed twice");
        assertThat(distinct).hasSize(rows);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT COUNT(*) FROM outbox WHERE status = 'SENDING'");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows);
            rs = s.executeQuery("SELECT status FROM outbox WHERE label = 'later'");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("PENDING");
        }
    }

    @Test
    void aClaimLeftByACrashedEngineIsTakenOverAfterItsLease() throws Exception {
        long appointment = seedAppointment(db);
        db.inTransaction(c -> { outbox.add(c, appointment,
                List.of(new PlannedMessage(MessageKind.CONFIRMATION, "confirmation", NOW)), NOW); return null; });
        assertThat(outbox.claimDue(db.dataSource(), "crashed", NOW, Duration.ofMinutes(5), 10)).hasSize(1);
        // Within the lease nobody else may take it...
        assertThat(outbox.claimDue(db.dataSource(), "other", NOW.plusSeconds(60), Duration.ofMinutes(5), 10)).isEmpty();
        // ...after it, another engine does.
        assertThat(outbox.claimDue(db.dataSource(), "other", NOW.plusSeconds(301), Duration.ofMinutes(5), 10)).hasSize(1);
    }

    @Test
    void theClaimQueryReadsTheOldestDueRowsInIndexOrderAndStopsAtItsLimit() throws Exception {
        long appointment = seedAppointment(db);
        List<PlannedMessage> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(new PlannedMessage(MessageKind.REMINDER, "due" + i, NOW.minusSeconds(i)));
            rows.add(new PlannedMessage(MessageKind.REMINDER, "future" + i, NOW.plus(Duration.ofDays(30 + i))));
        }
        db.inTransaction(c -> { outbox.add(c, appointment, rows, NOW); return null; });

        try (Connection c = db.dataSource().getConnection();
             var ps = c.prepareStatement("EXPLAIN ANALYZE " + Outbox.claimDueSql(100))) {
            Sql.setInstant(ps, 1, NOW);
            var rs = ps.executeQuery();
            rs.next();
            String plan = rs.getString(1);
            // H2 reports the rows it read; with 2,000 due and 2,000 future rows it must read about 100, not 2,000.
            var scanned = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertThat(scanned.find()).as(plan).isTrue();
            assertThat(Integer.parseInt(scanned.group(1))).as(plan).isLessThanOrEqualTo(101);
        }
        List<Long> claimed = outbox.claimDue(db.dataSource(), "engine", NOW, Duration.ofMinutes(5), 100);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT MIN(due_at) AS first_due, MAX(due_at) AS last_due FROM outbox WHERE status = 'SENDING'");
            rs.next();
            assertThat(claimed).hasSize(100);
            assertThat(Sql.getInstant(rs, "first_due")).as("the oldest due rows first").isEqualTo(NOW.minusSeconds(1_999));
            assertThat(Sql.getInstant(rs, "last_due")).isEqualTo(NOW.minusSeconds(1_900));
        }
    }

    private static long seedAppointment(Database db) {
        return db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO patient (patient_key, phone_e164, opted_out, updated_at) "
                        + "VALUES ('k', '+16082719000', FALSE, CURRENT_TIMESTAMP)", Statement.RETURN_GENERATED_KEYS);
                var keys = s.getGeneratedKeys();
                keys.next();
                long patient = keys.getLong(1);
                s.executeUpdate("INSERT INTO appointment (source, external_id, patient_id, status, reachable, "
                        + "created_at, updated_at) VALUES ('src', 'a1', " + patient
                        + ", 'BOOKED', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", Statement.RETURN_GENERATED_KEYS);
                keys = s.getGeneratedKeys();
                keys.next();
                return keys.getLong(1);
            }
        });
    }
}
