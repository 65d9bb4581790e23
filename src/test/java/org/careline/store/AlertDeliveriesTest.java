package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alerts and their deliveries in the real schema, on H2 and on PostgreSQL. */
class AlertDeliveriesTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final AlertDeliveries deliveries = new AlertDeliveries();
    /** gh-clinic's critical alerts go to two channels, everything else to one. */
    private final AlertLog alerts = new AlertLog((site, severity) -> "gh-clinic".equals(site)
            && severity == AlertSeverity.CRITICAL ? List.of("oncall", "desk", "oncall") : List.of("team"));

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-alerts")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    private long raise(Database db, String site, AlertSeverity severity, String subject) {
        return db.inTransaction(c -> alerts.raise(c, new AlertRaise("emergency", severity, site, subject, null,
                "handoff=1"), NOW));
    }

    private List<AlertLog.Stored> list(Database db, Set<String> sites, boolean unackedOnly, int limit) {
        return db.inTransaction(c -> alerts.list(c, sites, unackedOnly, limit));
    }

    private boolean ack(Database db, long id, String user, Instant at) {
        return db.inTransaction(c -> alerts.ack(c, id, user, at));
    }

    private java.util.OptionalLong raiseUnlessOpen(Database db, AlertRaise a) {
        return db.inTransaction(c -> alerts.raiseUnlessOpen(c, a, NOW));
    }

    private Set<String> openSubjects(Database db) {
        return db.inTransaction(c -> alerts.openSubjects(c, "feed_silent"));
    }

    private int clearEpic(Database db) {
        return db.inTransaction(c -> alerts.clear(c, "feed_silent", "feed:EPIC", NOW));
    }

    private Map<Long, List<AlertDeliveries.Stored>> stored(Database db, Long... ids) {
        return db.inTransaction(c -> deliveries.forAlerts(c, List.of(ids)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void raisingQueuesOneDeliveryPerRoutedChannelInTheSameTransaction(String database) throws Exception {
        try (Database db = open(database)) {
            long critical = raise(db, "gh-clinic", AlertSeverity.CRITICAL, "handoff:1");
            long warning = raise(db, "gh-clinic", AlertSeverity.WARNING, "handoff:2");
            assertThat(stored(db, critical, warning).get(critical)).extracting(AlertDeliveries.Stored::channel,
                    AlertDeliveries.Stored::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("oncall", "PENDING"),
                    org.assertj.core.groups.Tuple.tuple("desk", "PENDING"));
            assertThat(stored(db, critical, warning).get(warning)).extracting(AlertDeliveries.Stored::channel)
                    .containsExactly("team");

            // A transaction that fails after raising leaves neither the alert nor its deliveries.
            assertThatThrownBy(() -> db.inTransaction(c -> {
                alerts.raise(c, new AlertRaise("emergency", AlertSeverity.CRITICAL, "gh-clinic", "handoff:3", null,
                        null), NOW);
                throw new IllegalStateException("rolled back");
            })).hasMessageContaining("rolled back");
            assertThat(list(db, null, false, 10)).hasSize(2);
            assertThat(deliveries.claimDue(db.dataSource(), "a", NOW, LEASE, 10)).hasSize(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aDeliveryIsClaimedOnceThenSentRetriedOrGivenUp(String database) throws Exception {
        try (Database db = open(database)) {
            long id = raise(db, "gh-clinic", AlertSeverity.CRITICAL, "handoff:1");
            List<Long> claimed = deliveries.claimDue(db.dataSource(), "engine-a", NOW, LEASE, 10);
            assertThat(claimed).hasSize(2);
            assertThat(deliveries.claimDue(db.dataSource(), "engine-b", NOW.plusSeconds(60), LEASE, 10)).isEmpty();

            AlertDeliveries.Due due = db.inTransaction(c -> deliveries.load(c, claimed.get(0)));
            assertThat(due.alertId()).isEqualTo(id);
            assertThat(due.channel()).isEqualTo("oncall");
            assertThat(due.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(due.site()).isEqualTo("gh-clinic");
            assertThat(due.subject()).isEqualTo("handoff:1");
            assertThat(due.raisedAt()).isEqualTo(NOW);

            db.inTransaction(c -> {
                deliveries.sent(c, claimed.get(0), 1, NOW);
                deliveries.retry(c, claimed.get(1), 1, NOW.plusSeconds(30), "HTTP 503", NOW);
                return null;
            });
            assertThat(deliveries.claimDue(db.dataSource(), "engine-b", NOW.plusSeconds(29), LEASE, 10)).isEmpty();
            List<Long> again = deliveries.claimDue(db.dataSource(), "engine-b", NOW.plusSeconds(30), LEASE, 10);
            assertThat(again).containsExactly(claimed.get(1));
            db.inTransaction(c -> {
                deliveries.dead(c, claimed.get(1), 2, "HTTP 400: bad", NOW.plusSeconds(30));
                return null;
            });

            assertThat(stored(db, id).get(id)).containsExactly(
                    new AlertDeliveries.Stored(id, "oncall", "SENT", 1, null, NOW),
                    new AlertDeliveries.Stored(id, "desk", "DEAD", 2, "HTTP 400: bad", null));
            assertThat(deliveries.claimDue(db.dataSource(), "engine-b", NOW.plus(Duration.ofDays(1)), LEASE, 10))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aClaimWhoseEngineDiedIsTakenOverAfterItsLease(String database) throws Exception {
        try (Database db = open(database)) {
            raise(db, null, AlertSeverity.WARNING, "outbox:1");
            assertThat(deliveries.claimDue(db.dataSource(), "engine-a", NOW, LEASE, 10)).hasSize(1);
            assertThat(deliveries.claimDue(db.dataSource(), "engine-b", NOW.plus(LEASE), LEASE, 10)).isEmpty();
            assertThat(deliveries.claimDue(db.dataSource(), "engine-b", NOW.plus(LEASE).plusSeconds(1), LEASE, 10))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void enginesClaimingAtOnceNeverGetTheSameDelivery(String database) throws Exception {
        try (Database db = open(database)) {
            for (int i = 0; i < 40; i++) {
                raise(db, null, AlertSeverity.WARNING, "outbox:" + i);
            }
            CyclicBarrier together = new CyclicBarrier(4);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<List<Long>>> claims = new ArrayList<>();
                for (int e = 0; e < 4; e++) {
                    String owner = "engine-" + e;
                    claims.add(() -> {
                        together.await();
                        return deliveries.claimDue(db.dataSource(), owner, NOW, LEASE, 40);
                    });
                }
                Set<Long> seen = new HashSet<>();
                int total = 0;
                for (Future<List<Long>> f : pool.invokeAll(claims)) {
                    total += f.get().size();
                    seen.addAll(f.get());
                }
                assertThat(total).isEqualTo(seen.size());
                assertThat(seen.size() + deliveries.claimDue(db.dataSource(), "late", NOW, LEASE, 40).size())
                        .isEqualTo(40);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anOpenConditionIsRaisedOnceUntilCleared(String database) throws Exception {
        try (Database db = open(database)) {
            AlertRaise silent = new AlertRaise("feed_silent", AlertSeverity.WARNING, null, "feed:EPIC", null, null);
            assertThat(raiseUnlessOpen(db, silent)).isPresent();
            assertThat(raiseUnlessOpen(db, silent)).isEmpty();
            assertThat(openSubjects(db)).containsExactly("feed:EPIC");
            assertThat(clearEpic(db)).isEqualTo(1);
            assertThat(raiseUnlessOpen(db, silent)).isPresent();
            assertThat(list(db, null, false, 10)).hasSize(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void listingFiltersBySiteAndAcknowledgementAndAnAckHappensOnce(String database) throws Exception {
        try (Database db = open(database)) {
            long clinic = raise(db, "gh-clinic", AlertSeverity.CRITICAL, "handoff:1");
            long north = raise(db, "north", AlertSeverity.WARNING, "handoff:2");
            long engine = raise(db, null, AlertSeverity.WARNING, "outbox:3");

            assertThat(list(db, null, false, 10)).extracting(AlertLog.Stored::id)
                    .containsExactly(engine, north, clinic);
            assertThat(list(db, Set.of("gh-clinic"), false, 10))
                    .extracting(AlertLog.Stored::id).containsExactly(engine, clinic);
            assertThat(list(db, Set.of(), false, 10))
                    .extracting(AlertLog.Stored::id).containsExactly(engine);
            assertThat(list(db, null, false, 2)).hasSize(2);

            assertThat(ack(db, clinic, "nurse.ann", NOW)).isTrue();
            assertThat(ack(db, clinic, "dr.bo", NOW.plusSeconds(5))).isFalse();
            AlertLog.Stored acked = db.inTransaction(c -> alerts.find(c, clinic)).orElseThrow();
            assertThat(acked.ackedBy()).isEqualTo("nurse.ann");
            assertThat(acked.ackedAt()).isEqualTo(NOW);
            assertThat(list(db, null, true, 10)).extracting(AlertLog.Stored::id)
                    .containsExactly(engine, north);
        }
    }
}
