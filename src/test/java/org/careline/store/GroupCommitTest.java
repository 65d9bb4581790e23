package org.careline.store;

import org.careline.config.Settings;
import org.careline.support.Postgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Database.inSharedTransaction (group commit): many callers at once, each sees its own work committed — visible
 * to any other connection — when it returns; a failing piece is rolled back alone and its caller gets the failure.
 */
class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int EACH = 60;

    @Test
    void concurrentCallersEachReturnAfterTheirOwnWorkIsCommittedOnH2() throws Exception {
        try (Database db = Database.open(Settings.from(Map.of("CARELINE_DB_URL",
                "jdbc:h2:mem:gc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")).database())) {
            check(db);
        }
    }

    @Test
    void concurrentCallersEachReturnAfterTheirOwnWorkIsCommittedOnPostgres() throws Exception {
        try (Database db = Database.open(Settings.from(Postgres.freshDatabaseEnv()).database())) {
            check(db);
        }
    }

    private static void check(Database db) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        ConcurrentLinkedQueue<String> notVisibleOnReturn = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                go.await();
                int ok = 0;
                int failed = 0;
                for (int i = 0; i < EACH; i++) {
                    String kind = "t" + thread + "-" + i;
                    boolean fails = i % 10 == 3;
                    try {
                        db.inSharedTransaction(c -> {
                            insertAlert(c, kind);
                            if (fails) {
                                throw new IllegalStateException("this piece fails");
                            }
                            return null;
                        });
                        ok++;
                        // Returned: committed, so a connection of its own sees it.
                        if (count(db, "kind = '" + kind + "'") != 1) {
                            notVisibleOnReturn.add(kind);
                        }
                    } catch (IllegalStateException e) {
                        failed++;
                    }
                }
                return new int[]{ok, failed};
            }));
        }
        go.countDown();
        int ok = 0;
        int failed = 0;
        for (Future<int[]> f : results) {
            ok += f.get()[0];
            failed += f.get()[1];
        }
        pool.shutdown();
        assertThat(notVisibleOnReturn).isEmpty();
        assertThat(failed).isEqualTo(THREADS * (EACH / 10));
        assertThat(ok).isEqualTo(THREADS * EACH - failed);
        // The failed pieces left nothing behind; every other piece is there once.
        assertThat(count(db, "kind LIKE 't%'")).isEqualTo(ok);
        assertThat(count(db, "kind LIKE 't%3'")).isZero(); // i % 10 == 3: the numbers ending in 3
    }

    private static void insertAlert(Connection c, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert (kind, detail, raised_at) VALUES (?, ?, ?)")) {
            ps.setString(1, kind);
            ps.setString(2, "group commit test");
            ps.setObject(3, OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    /** Counts through a connection of its own, outside any shared transaction. */
    private static long count(Database db, String where) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert WHERE " + where);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
