package org.careline.triage;

import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.config.TriageRules;
import org.careline.store.ConversationStore;
import org.careline.store.Database;
import org.careline.store.Handoffs;
import org.careline.store.Outbox;
import org.careline.triage.TriageDesk.*;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What each staff action answers, on a real (H2) database with the project's mappings. */
class TriageDeskTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");
    private static final String PHONE = "+15550001234";

    private Database db;
    private final Handoffs handoffs = new Handoffs(org.careline.store.crypto.FieldCipher.off());
    private final AtomicInteger nudges = new AtomicInteger();
    private TriageDesk desk;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Settings.from(Map.of("CARELINE_DB_URL", "jdbc:h2:file:"
                + Files.createTempDirectory("careline-desk").resolve("db") + ";WRITE_DELAY=0")).database());
        desk = desk(Path.of("mappings"));
    }

    private TriageDesk desk(Path mappings) {
        return new TriageDesk(db, handoffs, new Outbox(org.careline.store.crypto.FieldCipher.off()), new ConversationStore(org.careline.store.crypto.FieldCipher.off()), TriageRules.load(mappings),
                SiteDirectory.load(mappings, ZoneId.of("America/New_York"), "US"), TemplateCatalog.load(mappings),
                nudges::incrementAndGet);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A pharmacy item opened by a message the patient sent at {@code wroteAt}. */
    private long item(Instant wroteAt) {
        return db.inTransaction(c -> {
            long reply;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_reply (wamid, from_phone, "
                    + "message_type, content, sent_at, recorded_at) VALUES (?, ?, 'text', 'I need a refill', ?, ?)",
                    new String[]{"id"})) {
                ps.setString(1, "wamid." + java.util.UUID.randomUUID());
                ps.setString(2, PHONE);
                ps.setObject(3, wroteAt.atOffset(java.time.ZoneOffset.UTC));
                ps.setObject(4, wroteAt.atOffset(java.time.ZoneOffset.UTC));
                ps.executeUpdate();
                try (ResultSet k = ps.getGeneratedKeys()) {
                    k.next();
                    reply = k.getLong(1);
                }
            }
            return handoffs.insert(c, new Handoffs.NewHandoff(PHONE, null, reply, "KEYWORD", false, "pharmacy",
                    "main", wroteAt.plus(Duration.ofHours(2)), null), wroteAt);
        });
    }

    private void optOut() {
        db.inTransaction(c -> {
            new ConversationStore(org.careline.store.crypto.FieldCipher.off()).setOptedOut(c, PHONE, true, NOW);
            return null;
        });
    }

    private Map<String, Object> outbox(long id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, body, recipient_phone, label FROM outbox "
                    + "WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Map.of("kind", rs.getString(1), "body", String.valueOf(rs.getString(2)),
                            "phone", rs.getString(3), "label", rs.getString(4));
                }
            }
        });
    }

    @Test
    void claimingTellsWhoWonAndWhatBecameOfTheItem() {
        long id = item(NOW);
        assertThat(desk.claim(id, "alice", NOW)).isEqualTo(new Claimed());
        assertThat(desk.claim(id, "alice", NOW)).isEqualTo(new Claimed());
        assertThat(desk.claim(id, "bob", NOW)).isEqualTo(new ClaimedByOther("alice"));
        assertThat(desk.claim(999_999, "bob", NOW)).isEqualTo(new NotFound());
        assertThat(desk.resolve(id, "alice", NOW)).isEqualTo(new Resolved());
        assertThat(desk.claim(id, "bob", NOW)).isEqualTo(new AlreadyResolved());
        assertThat(desk.resolve(id, "alice", NOW)).isEqualTo(new AlreadyResolved());
        assertThat(desk.resolve(999_999, "alice", NOW)).isEqualTo(new NotFound());
    }

    @Test
    void aReplyInsideTheWindowGoesThroughTheOutboxAndIsOnTheTrail() {
        long id = item(NOW.minus(Duration.ofHours(23)));
        assertThat(desk.reply(id, "alice", "Your refill is ready", NOW)).isEqualTo(new NotClaimedByYou(null));
        desk.claim(id, "alice", NOW);
        assertThat(desk.reply(id, "bob", "Hi", NOW)).isEqualTo(new NotClaimedByYou("alice"));
        assertThat(desk.reply(id, "alice", "   ", NOW)).isEqualTo(new EmptyText());
        ReplyOutcome sent = desk.reply(id, "alice", " Your refill is ready at the front desk. ", NOW);
        assertThat(sent).isInstanceOf(Queued.class);
        assertThat(outbox(((Queued) sent).outboxId())).containsEntry("kind", "TEXT").containsEntry("phone", PHONE)
                .containsEntry("body", "Your refill is ready at the front desk.");
        assertThat(nudges).hasValue(1);
        // An admin (the API decides) may answer an item someone else holds.
        assertThat(desk.reply(id, "carol", "Also: bring your card.", true, NOW.plusSeconds(60)))
                .isInstanceOf(Queued.class);

        HandoffDetail d = desk.get(id, NOW).orElseThrow();
        assertThat(d.claimedBy()).isEqualTo("alice");
        assertThat(d.messages()).extracting(Message::text).containsExactly("I need a refill");
        assertThat(d.window()).isEqualTo(new ReplyWindow(true, NOW.plus(Duration.ofHours(1))));
        assertThat(d.followUpTemplate()).isEqualTo("care_team_follow_up");
        assertThat(d.patient()).isEqualTo(new Patient(null, null, PHONE));
        assertThat(d.events()).extracting(Event::kind, Event::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CLAIMED", "alice"),
                org.assertj.core.groups.Tuple.tuple("REPLIED", "alice"),
                org.assertj.core.groups.Tuple.tuple("REPLIED", "carol"));
        Handoffs.Handoff after = db.inTransaction(c -> handoffs.find(c, id)).orElseThrow();
        assertThat(after.firstAnswerAt()).isEqualTo(NOW);
    }

    @Test
    void outsideTheWindowTheFollowUpTemplateIsOfferedAndSent() {
        Instant wrote = NOW.minus(Duration.ofHours(25));
        long id = item(wrote);
        desk.claim(id, "alice", NOW);
        assertThat(desk.reply(id, "alice", "Your refill is ready", NOW))
                .isEqualTo(new OutsideWindow(wrote.plus(Duration.ofHours(24)), "care_team_follow_up"));
        assertThat(desk.followUp(id, "bob", NOW)).isEqualTo(new NotClaimedByYou("alice"));
        FollowUpOutcome sent = desk.followUp(id, "alice", NOW);
        assertThat(sent).isInstanceOf(Queued.class);
        assertThat(outbox(((Queued) sent).outboxId())).containsEntry("kind", "FOLLOW_UP").containsEntry("phone", PHONE);
        assertThat(desk.get(id, NOW).orElseThrow().events()).extracting(Event::kind, Event::body).contains(
                org.assertj.core.groups.Tuple.tuple("TEMPLATE", "care_team_follow_up"));
    }

    @Test
    void aSiteWithoutAFollowUpTemplateSaysSo() throws Exception {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "triage.yaml", t -> t.replace("followUpTemplate: follow_up\n",
                "followUpTemplate: none\n"));
        TriageDesk noTemplate = desk(mappings);
        long id = item(NOW.minus(Duration.ofDays(2)));
        noTemplate.claim(id, "alice", NOW);
        assertThat(noTemplate.reply(id, "alice", "Hello", NOW)).isEqualTo(new OutsideWindow(
                NOW.minus(Duration.ofDays(1)), null));
        assertThat(noTemplate.followUp(id, "alice", NOW)).isEqualTo(new NoTemplate());
    }

    @Test
    void nothingGoesToANumberThatOptedOut() {
        long id = item(NOW.minus(Duration.ofHours(1)));
        desk.claim(id, "alice", NOW);
        optOut();
        assertThat(desk.reply(id, "alice", "Hello", NOW)).isEqualTo(new OptedOut());
        assertThat(desk.followUp(id, "alice", NOW)).isEqualTo(new OptedOut());
        assertThat(nudges).hasValue(0);
    }

    @Test
    void notesStayInternalAndReleaseGivesTheItemBack() {
        long id = item(NOW);
        assertThat(desk.note(id, "bob", "called the pharmacy", NOW)).isEqualTo(new Noted());
        assertThat(desk.note(id, "bob", "", NOW)).isEqualTo(new EmptyText());
        assertThat(desk.note(999_999, "bob", "x", NOW)).isEqualTo(new NotFound());
        assertThat(desk.release(id, "alice", NOW)).isEqualTo(new NotClaimedByYou(null));
        desk.claim(id, "alice", NOW);
        assertThat(desk.release(id, "bob", NOW)).isEqualTo(new NotClaimedByYou("alice"));
        assertThat(desk.release(id, "alice", NOW)).isEqualTo(new Released());
        assertThat(desk.claim(id, "bob", NOW)).isEqualTo(new Claimed());
        int sent = db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(sent).isZero();
        assertThat(desk.get(id, NOW).orElseThrow().events()).extracting(Event::kind)
                .containsExactly("NOTE", "CLAIMED", "RELEASED", "CLAIMED");
    }

    @Test
    void queuesListEveryQueueOfEachAllowedSiteWithItsCounts() {
        long id = item(NOW.minus(Duration.ofHours(3))); // due an hour ago
        item(NOW);
        desk.claim(id, "alice", NOW);
        assertThat(desk.queues(Set.of("main"), NOW)).extracting(QueueSummary::queue)
                .containsExactly("emergency", "pharmacy", "results", "scheduling", "nurse");
        assertThat(desk.queues(Set.of("main"), NOW)).contains(new QueueSummary("main", "pharmacy", 1, 1, 1, 120));
        assertThat(desk.queues(Set.of("royal-london"), NOW)).contains(
                new QueueSummary("royal-london", "results", 0, 0, 0, 480));
        assertThat(desk.queues(null, NOW)).extracting(QueueSummary::site).contains("main", "gh-clinic", "royal-london");
        assertThat(desk.list("pharmacy", "claimed", null, null, 10, NOW)).singleElement()
                .satisfies(s -> assertThat(s.overdue()).isTrue());
        assertThat(desk.list(null, "nonsense", null, null, 10, NOW)).isEmpty();
        assertThat(desk.list(null, null, null, Set.of("gh-clinic"), 10, NOW)).isEmpty();
    }
}
