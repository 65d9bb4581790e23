package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.WatchedQueue;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every query the alert rules run, on H2 and on PostgreSQL: the same numbers from the same rows. */
class RuleMeasuresTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private final RuleMeasures measures = new RuleMeasures();

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void theRulesQueriesCountTheSameOnBothDatabases(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-rules")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        try (Database db = Database.open(Settings.from(env).database())) {
            db.inTransaction(c -> {
                assertThat(measures.sendOutcomes(c, NOW.minus(Duration.ofMinutes(15)))).isEmpty();
                assertThat(measures.lastWebhookReceived(c)).isEmpty();
                for (WatchedQueue q : WatchedQueue.values()) {
                    assertThat(measures.oldestWaiting(c, q, NOW)).as(q.key()).isEmpty();
                }
                long late = outbox(c, "PENDING", NOW.minus(Duration.ofMinutes(20)));
                outbox(c, "PENDING", NOW.plus(Duration.ofMinutes(20)));
                long dead = outbox(c, "DEAD", NOW.minus(Duration.ofMinutes(10)));
                event(c, late, "retry", NOW.minus(Duration.ofMinutes(5)));
                event(c, dead, "dead", NOW.minus(Duration.ofMinutes(4)));
                event(c, late, "sent", NOW.minus(Duration.ofMinutes(3)));
                event(c, late, "sent", NOW.minus(Duration.ofHours(2))); // outside the window
                // Messages of no appointment or notice are counted under no site (the null key).
                Map<String, RuleMeasures.SendCounts> sends = measures.sendOutcomes(c, NOW.minus(Duration.ofMinutes(15)));
                assertThat(sends).hasSize(1).containsKey(null);
                assertThat(sends.get(null)).isEqualTo(new RuleMeasures.SendCounts(3, 2));
                assertThat(measures.sentSince(c, NOW.minus(Duration.ofMinutes(15)))).isEqualTo(1);
                assertThat(measures.oldestWaiting(c, WatchedQueue.OUTBOX, NOW))
                        .contains(NOW.minus(Duration.ofMinutes(20)));
                assertThat(measures.deadLettersSince(c, NOW.minus(Duration.ofHours(1)))).isEqualTo(1);
                assertThat(measures.deadLettersSince(c, NOW.minus(Duration.ofMinutes(5)))).isZero();
                assertThat(measures.lastSiuBySite(c, NOW.minus(Duration.ofDays(7)))).isEmpty();
                assertThat(measures.intentCounts(c, "EMERGENCY", NOW.minus(Duration.ofHours(1)), NOW)).isEmpty();
                assertThat(measures.queueCounts(c, "nurse", NOW.minus(Duration.ofHours(1)), NOW)).isEmpty();
                measures.recordWordMatch(c, "pain", "gh-clinic", NOW);
                measures.recordWordMatch(c, "pain", "gh-clinic", NOW.minus(Duration.ofMinutes(30)));
                measures.recordWordMatch(c, "pain", null, NOW.minus(Duration.ofMinutes(59)));
                measures.recordWordMatch(c, "pain", "gh-clinic", NOW.minus(Duration.ofHours(1))); // the window's edge
                measures.recordWordMatch(c, "refill", "gh-clinic", NOW);
                Map<String, Long> expected = new java.util.HashMap<>();
                expected.put("gh-clinic", 2L);
                expected.put(null, 1L);
                assertThat(measures.wordCounts(c, "pain", NOW.minus(Duration.ofHours(1)), NOW)).isEqualTo(expected);
                return null;
            });
        }
    }

    private static long outbox(Connection c, String status, Instant due) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (kind, label, due_at, status, created_at, "
                + "updated_at) VALUES ('CONFIRMATION', 'confirmation', ?, ?, ?, ?)", new String[]{"id"})) {
            Sql.setInstant(ps, 1, due);
            ps.setString(2, status);
            Sql.setInstant(ps, 3, due);
            Sql.setInstant(ps, 4, due);
            return Sql.executeForId(ps);
        }
    }

    private static void event(Connection c, long outboxId, String event, Instant at) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO message_event (outbox_id, event, recorded_at) VALUES (?, ?, ?)")) {
            ps.setLong(1, outboxId);
            ps.setString(2, event);
            Sql.setInstant(ps, 3, at);
            ps.executeUpdate();
        }
    }
}
