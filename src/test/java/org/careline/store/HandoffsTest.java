package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.HandoffEventKind;
import org.careline.model.HandoffStatus;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Staff handoffs as work items, on H2 and on PostgreSQL: listing, counting, claiming once, escalating once. */
class HandoffsTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");
    private final Handoffs handoffs = new Handoffs(org.careline.store.crypto.FieldCipher.off());

    static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-handoffs")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    /** A patient's stored message (what a handoff is opened by). */
    static long inboundReply(Database db, String phone, String text, Instant sentAt) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_reply (wamid, from_phone, "
                    + "message_type, content, sent_at, recorded_at) VALUES (?, ?, 'text', ?, ?, ?)",
                    new String[]{"id"})) {
                ps.setString(1, "wamid." + java.util.UUID.randomUUID());
                ps.setString(2, phone);
                ps.setString(3, text);
                Sql.setInstant(ps, 4, sentAt);
                Sql.setInstant(ps, 5, sentAt);
                return Sql.executeForId(ps);
            }
        });
    }

    private long add(Database db, String phone, String queue, String site, Instant dueAt, Instant escalateAt) {
        long reply = inboundReply(db, phone, "words of " + queue, NOW);
        return db.inTransaction(c -> handoffs.insert(c, new Handoffs.NewHandoff(phone, null, reply, "KEYWORD",
                escalateAt != null, queue, site, dueAt, escalateAt), NOW));
    }

    private static boolean ok(Database db, Database.Work<Boolean> work) {
        return db.inTransaction(work);
    }

    private static <T> List<T> rows(Database db, Database.Work<List<T>> work) {
        return db.inTransaction(work);
    }

    private static <T> java.util.Optional<T> maybe(Database db, Database.Work<java.util.Optional<T>> work) {
        return db.inTransaction(work);
    }

    private static Instant instant(Database db, Database.Work<Instant> work) {
        return db.inTransaction(work);
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void itemsAreListedAndCountedPerQueueAndSiteWithinTheAllowedSites(String database) throws Exception {
        try (Database db = open(database)) {
            long a = add(db, "+15550000001", "pharmacy", "main", NOW.plus(Duration.ofHours(2)), null);
            long b = add(db, "+15550000002", "pharmacy", "main", NOW.minus(Duration.ofMinutes(1)), null);
            long c = add(db, "+15550000003", "results", "gh-clinic", NOW.plus(Duration.ofHours(4)), null);
            long d = add(db, "+15550000004", "pharmacy", "gh-clinic", NOW.minus(Duration.ofHours(1)), null);
            assertThat(ok(db, x -> handoffs.claim(x, a, "alice", NOW))).isTrue();
            assertThat(ok(db, x -> handoffs.resolve(x, d, "bob", NOW))).isTrue();

            assertThat(rows(db, x -> handoffs.list(x, "pharmacy", null, null, null, 50)))
                    .extracting(Handoffs.Handoff::id).containsExactly(d, b, a);
            assertThat(rows(db, x -> handoffs.list(x, null, HandoffStatus.OPEN, null, null, 50)))
                    .extracting(Handoffs.Handoff::id).containsExactly(c, b);
            assertThat(rows(db, x -> handoffs.list(x, null, null, "gh-clinic", null, 50)))
                    .extracting(Handoffs.Handoff::id).containsExactly(d, c);
            assertThat(rows(db, x -> handoffs.list(x, null, null, null, Set.of("main"), 50)))
                    .extracting(Handoffs.Handoff::id).containsExactly(b, a);
            assertThat(rows(db, x -> handoffs.list(x, null, null, "gh-clinic", Set.of("main"), 50))).isEmpty();
            assertThat(rows(db, x -> handoffs.list(x, null, null, null, Set.of(), 50))).isEmpty();
            assertThat(rows(db, x -> handoffs.list(x, null, null, null, null, 2))).hasSize(2);

            assertThat(rows(db, x -> handoffs.counts(x, null, NOW))).containsExactly(
                    new Handoffs.QueueCount("gh-clinic", "results", 1, 0, 0),
                    new Handoffs.QueueCount("main", "pharmacy", 1, 1, 1));
            assertThat(rows(db, x -> handoffs.counts(x, Set.of("gh-clinic"), NOW))).containsExactly(
                    new Handoffs.QueueCount("gh-clinic", "results", 1, 0, 0));

            Handoffs.Handoff claimed = db.inTransaction(x -> handoffs.find(x, a)).orElseThrow();
            assertThat(claimed.status()).isEqualTo(HandoffStatus.CLAIMED);
            assertThat(claimed.claimedBy()).isEqualTo("alice");
            assertThat(claimed.claimedAt()).isEqualTo(NOW);
            assertThat(claimed.version()).isEqualTo(1);
            assertThat(maybe(db, x -> handoffs.active(x, "+15550000001", "pharmacy"))).isPresent();
            assertThat(maybe(db, x -> handoffs.active(x, "+15550000004", "pharmacy"))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void twoStaffClaimingAtOnceExactlyOneWins(String database) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Database db = open(database)) {
            for (int round = 0; round < 20; round++) {
                long id = add(db, "+1555000010" + (round % 10), "nurse", "main", NOW.plus(Duration.ofHours(4)), null);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (String user : List.of("alice", "bob")) {
                    // Each on its own connection and transaction, as two API requests would be.
                    claims.add(pool.submit(() -> db.inTransaction(c -> {
                        together.await(10, TimeUnit.SECONDS);
                        return handoffs.claim(c, id, user, NOW);
                    })));
                }
                int won = 0;
                for (Future<Boolean> f : claims) {
                    won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(won).as("round %d", round).isEqualTo(1);
                Handoffs.Handoff h = db.inTransaction(c -> handoffs.find(c, id)).orElseThrow();
                assertThat(h.claimedBy()).isIn("alice", "bob");
                assertThat(h.version()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void escalationsAreDueOnceAndOnlyWhileTheyStillApply(String database) throws Exception {
        try (Database db = open(database)) {
            long late = add(db, "+15550000021", "pharmacy", "main", NOW.minusSeconds(1), null);
            long notYet = add(db, "+15550000022", "pharmacy", "main", NOW.plusSeconds(60), null);
            long emergency = add(db, "+15550000023", "emergency", "main", NOW, NOW.minusSeconds(1));
            long claimedEmergency = add(db, "+15550000024", "emergency", "main", NOW, NOW.minusSeconds(1));
            long resolved = add(db, "+15550000025", "results", "main", NOW.minusSeconds(1), null);
            db.inTransaction(c -> handoffs.claim(c, claimedEmergency, "alice", NOW));
            db.inTransaction(c -> handoffs.resolve(c, resolved, "alice", NOW));

            assertThat(rows(db, c -> handoffs.escalationsDue(c, NOW, 10)))
                    .extracting(Handoffs.Handoff::id).containsExactly(late, emergency);
            assertThat(ok(db, c -> handoffs.markEscalated(c, late, NOW))).isTrue();
            assertThat(ok(db, c -> handoffs.markEscalated(c, late, NOW))).isFalse();
            // Claimed between the read and the stamp: no longer an unclaimed emergency.
            db.inTransaction(c -> handoffs.claim(c, emergency, "bob", NOW));
            assertThat(ok(db, c -> handoffs.markEscalated(c, emergency, NOW))).isFalse();
            assertThat(ok(db, c -> handoffs.markEscalated(c, notYet, NOW))).isFalse();
            assertThat(rows(db, c -> handoffs.escalationsDue(c, NOW, 10))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void theTrailAndThePatientsWordsAreKeptInOrder(String database) throws Exception {
        try (Database db = open(database)) {
            long id = add(db, "+15550000031", "pharmacy", "main", NOW.plus(Duration.ofHours(2)), null);
            long later = inboundReply(db, "+15550000031", "and also my inhaler", NOW.plusSeconds(30));
            db.inTransaction(c -> handoffs.addEvent(c, id, HandoffEventKind.MESSAGE, null, null, null, later,
                    NOW.plusSeconds(30)));
            db.inTransaction(c -> handoffs.addEvent(c, id, HandoffEventKind.NOTE, "alice", "called the pharmacy",
                    null, null, NOW.plusSeconds(60)));
            assertThat(rows(db, c -> handoffs.events(c, id))).extracting(Handoffs.Event::kind,
                    Handoffs.Event::actor, Handoffs.Event::body, Handoffs.Event::inboundReplyId).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(HandoffEventKind.MESSAGE, null, null, later),
                    org.assertj.core.groups.Tuple.tuple(HandoffEventKind.NOTE, "alice", "called the pharmacy", null));
            assertThat(rows(db, c -> handoffs.patientWords(c, id))).extracting(Handoffs.PatientWords::text,
                    Handoffs.PatientWords::receivedAt).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("words of pharmacy", NOW),
                    org.assertj.core.groups.Tuple.tuple("and also my inhaler", NOW.plusSeconds(30)));
            assertThat(instant(db, c -> handoffs.lastInbound(c, "+15550000031"))).isEqualTo(NOW.plusSeconds(30));
            assertThat(instant(db, c -> handoffs.lastInbound(c, "+15550009999"))).isNull();
        }
    }
}
