package org.careline.triage;

import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.config.TriageRules;
import org.careline.model.HandoffEventKind;
import org.careline.model.HandoffStatus;
import org.careline.model.MessageKind;
import org.careline.model.TemplateSpec;
import org.careline.store.ConversationStore;
import org.careline.store.Database;
import org.careline.store.Handoffs;
import org.careline.store.Handoffs.Handoff;
import org.careline.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What staff do with the items in the triage queues, as the HTTP API calls it: see the queues and items, claim an
 * item, answer the patient (free text inside the 24-hour window, else the site's follow-up template), add internal
 * notes, resolve, release. Every change is one transaction that also writes the step (who, when) to the item's trail.
 * Who may see which site, and who counts as an admin, is the API's decision: it passes the sites a user may see, and
 * {@code override = true} for an admin acting on an item someone else claimed.
 *
 * <p>Records returned here are the API's JSON as they are (Instants as ISO strings). They hold PHI (names, phone
 * numbers, the patient's and staff's words); this class logs ids only.
 */
public final class TriageDesk {

    private static final Logger LOG = LoggerFactory.getLogger(TriageDesk.class);
    /** The outbox label of staff's free text and follow-ups (outbox.label is at most 30 characters). */
    static final String REPLY_LABEL = "staff-reply";
    static final String FOLLOW_UP_LABEL = "staff-follow-up";

    // ---- views ----

    /** One queue at one site: items waiting, being worked, past their SLA; the SLA in minutes. */
    public record QueueSummary(String site, String queue, int open, int claimed, int overdue, long slaMinutes) {
    }

    /** One item as a queue lists it. */
    public record HandoffSummary(long id, String queue, String site, String status, boolean urgent, String reason,
                                 Instant createdAt, Instant dueAt, String claimedBy, boolean overdue) {
    }

    /** The patient: id and name null when no patient record has the number. */
    public record Patient(Long id, String name, String phone) {
    }

    public record Appointment(long id, Instant startAt, String service, String provider, String location,
                              String status) {
    }

    /** One of the patient's messages on the item. */
    public record Message(String text, Instant receivedAt) {
    }

    /** One step of the item's trail; actor null for the engine. */
    public record Event(String kind, String actor, String body, Instant at) {
    }

    /**
     * One item with what staff need to work it.
     *
     * @param appointment      null when the message was tied to none
     * @param window           whether a free text may go now, and when that ends
     * @param followUpTemplate the WhatsApp template staff may send instead once the window has closed, or null
     */
    public record HandoffDetail(long id, String queue, String site, String status, boolean urgent, String reason,
                                Instant createdAt, Instant dueAt, String claimedBy, Patient patient,
                                Appointment appointment, List<Message> messages, ReplyWindow window,
                                String followUpTemplate, List<Event> events) {
    }

    // ---- outcomes: one type per answer the API must tell apart ----

    public sealed interface ClaimOutcome {
    }

    public sealed interface ReplyOutcome {
    }

    public sealed interface FollowUpOutcome {
    }

    public sealed interface NoteOutcome {
    }

    public sealed interface ResolveOutcome {
    }

    public sealed interface ReleaseOutcome {
    }

    /** No item with that id. */
    public record NotFound() implements ClaimOutcome, ReplyOutcome, FollowUpOutcome, NoteOutcome, ResolveOutcome,
            ReleaseOutcome {
    }

    /** The item is resolved: nothing more is sent or claimed on it. */
    public record AlreadyResolved() implements ClaimOutcome, ReplyOutcome, FollowUpOutcome, ResolveOutcome,
            ReleaseOutcome {
    }

    /** The item is now the caller's (also when it already was). */
    public record Claimed() implements ClaimOutcome {
    }

    /** Someone else claimed it first. */
    public record ClaimedByOther(String by) implements ClaimOutcome {
    }

    /** The message is queued in the outbox and goes out like every other message. */
    public record Queued(long outboxId) implements ReplyOutcome, FollowUpOutcome {
    }

    /**
     * The patient's 24-hour window has closed (or never opened): a free text may not go.
     *
     * @param closedAt         when it closed, or null when the patient never wrote
     * @param followUpTemplate the template the site offers instead, or null
     */
    public record OutsideWindow(Instant closedAt, String followUpTemplate) implements ReplyOutcome {
    }

    /** The caller does not hold the item. @param by who does, or null when nobody has claimed it */
    public record NotClaimedByYou(String by) implements ReplyOutcome, FollowUpOutcome, ReleaseOutcome {
    }

    /** The number has opted out (STOP): nothing is sent until the patient writes START. */
    public record OptedOut() implements ReplyOutcome, FollowUpOutcome {
    }

    /** No text given. */
    public record EmptyText() implements ReplyOutcome, NoteOutcome {
    }

    /** The site offers no follow-up template. */
    public record NoTemplate() implements FollowUpOutcome {
    }

    public record Noted() implements NoteOutcome {
    }

    public record Resolved() implements ResolveOutcome {
    }

    public record Released() implements ReleaseOutcome {
    }

    private final Database db;
    private final Handoffs handoffs;
    private final Outbox outbox;
    private final ConversationStore conversations;
    private final TriageRules rules;
    private final SiteDirectory sites;
    private final TemplateCatalog templates;
    private final Runnable nudge;

    /** @param nudge asks the dispatcher to look at the outbox now (a staff answer should not wait for its timer) */
    public TriageDesk(Database db, Handoffs handoffs, Outbox outbox, ConversationStore conversations,
                      TriageRules rules, SiteDirectory sites, TemplateCatalog templates, Runnable nudge) {
        this.db = db;
        this.handoffs = handoffs;
        this.outbox = outbox;
        this.conversations = conversations;
        this.rules = rules;
        this.sites = sites;
        this.templates = templates;
        this.nudge = nudge;
    }

    // ---- reads ----

    /**
     * Every queue used at each of {@code allowedSites} (null: every site of sites.yaml), with its counts at
     * {@code now}; queues that still hold items at a site not listed in sites.yaml (or switched off) are listed too.
     */
    public List<QueueSummary> queues(Set<String> allowedSites, Instant now) {
        List<Handoffs.QueueCount> counts = db.inTransaction(c -> handoffs.counts(c, allowedSites, now));
        Map<String, QueueSummary> rows = new LinkedHashMap<>();
        List<String> siteCodes = allowedSites == null ? sites.codes()
                : sites.codes().stream().filter(allowedSites::contains).toList();
        for (String site : siteCodes) {
            for (String queue : rules.queuesAt(site)) {
                rows.put(site + "\u0000" + queue, new QueueSummary(site, queue, 0, 0, 0,
                        rules.sla(site, queue).toMinutes()));
            }
        }
        for (Handoffs.QueueCount n : counts) {
            rows.put(n.site() + "\u0000" + n.queue(), new QueueSummary(n.site(), n.queue(), n.open(), n.claimed(),
                    n.overdue(), rules.sla(n.site(), n.queue()).toMinutes()));
        }
        return List.copyOf(rows.values());
    }

    /**
     * Items, newest first: any of queue, status (OPEN, CLAIMED, RESOLVED, any case), site may be null for all; an
     * unknown status matches nothing. {@code allowedSites} null: every site.
     */
    public List<HandoffSummary> list(String queue, String status, String site, Set<String> allowedSites, int limit,
                                     Instant now) {
        HandoffStatus wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = HandoffStatus.fromDb(status.trim().toUpperCase(Locale.ROOT));
            if (wanted == null) {
                return List.of();
            }
        }
        HandoffStatus filter = wanted;
        List<Handoff> items = db.inTransaction(c -> handoffs.list(c, blankToNull(queue), filter, blankToNull(site),
                allowedSites, limit));
        return items.stream().map(h -> new HandoffSummary(h.id(), h.queue(), h.site(), h.status().name(),
                h.urgent(), h.reason(), h.createdAt(), h.dueAt(), h.claimedBy(), h.overdue(now))).toList();
    }

    /** One item with its patient, appointment, the patient's words, the 24-hour window and its trail. */
    public Optional<HandoffDetail> get(long id, Instant now) {
        return db.inTransaction(c -> {
            Optional<Handoff> found = handoffs.find(c, id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Handoff h = found.get();
            Handoffs.PatientRef p = handoffs.patientOf(c, h);
            Appointment appointment = null;
            if (h.appointmentId() != null) {
                appointment = handoffs.appointment(c, h.appointmentId()).map(a -> new Appointment(a.id(),
                        a.startAt(), a.service(), a.provider(), a.location(), a.status())).orElse(null);
            }
            List<Message> messages = handoffs.patientWords(c, id).stream()
                    .map(w -> new Message(w.text(), w.receivedAt())).toList();
            List<Event> events = handoffs.events(c, id).stream()
                    .map(e -> new Event(e.kind().name(), e.actor(), e.body(), e.at())).toList();
            ReplyWindow window = ReplyWindow.at(handoffs.lastInbound(c, h.phone()), now);
            return Optional.of(new HandoffDetail(h.id(), h.queue(), h.site(), h.status().name(), h.urgent(),
                    h.reason(), h.createdAt(), h.dueAt(), h.claimedBy(),
                    new Patient(p.id(), name(p), h.phone()), appointment, messages, window,
                    followUpTemplate(h.site()), events));
        });
    }

    // ---- actions ----

    /** Claims the item for {@code user}: of two people claiming at once, exactly one gets {@link Claimed}. */
    public ClaimOutcome claim(long id, String user, Instant now) {
        ClaimOutcome outcome = db.inTransaction(c -> {
            if (handoffs.claim(c, id, user, now)) {
                handoffs.addEvent(c, id, HandoffEventKind.CLAIMED, user, null, null, null, now);
                return new Claimed();
            }
            // Not OPEN (or gone): say why, from what the item is now.
            Optional<Handoff> h = handoffs.find(c, id);
            if (h.isEmpty()) {
                return new NotFound();
            }
            return switch (h.get().status()) {
                case RESOLVED -> new AlreadyResolved();
                case CLAIMED -> user.equals(h.get().claimedBy()) ? new Claimed()
                        : new ClaimedByOther(h.get().claimedBy());
                case OPEN -> new ClaimedByOther(null); // released again in between: the caller may try again
            };
        });
        LOG.info("handoff={} claim: {}", id, outcome.getClass().getSimpleName());
        return outcome;
    }

    public ReplyOutcome reply(long id, String user, String text, Instant now) {
        return reply(id, user, text, false, now);
    }

    /**
     * Answers the patient in free text, through the outbox like every other reply: only by the one who claimed the
     * item ({@code override}: an admin, as the API decides), only inside the 24-hour window, never to an opted-out
     * number. The first answer sets the item's first_answer_at.
     */
    public ReplyOutcome reply(long id, String user, String text, boolean override, Instant now) {
        ReplyOutcome outcome = db.inTransaction(c -> {
            Gate gate = gate(c, id, user, override, false);
            if (gate.stop() != null) {
                return (ReplyOutcome) gate.stop();
            }
            Handoff h = gate.handoff();
            if (text == null || text.isBlank()) {
                return new EmptyText();
            }
            if (conversations.isOptedOut(c, h.phone())) {
                return new OptedOut();
            }
            ReplyWindow window = ReplyWindow.at(handoffs.lastInbound(c, h.phone()), now);
            if (!window.open()) {
                return new OutsideWindow(window.closesAt(), followUpTemplate(h.site()));
            }
            long outboxId = outbox.addReply(c, h.appointmentId(), h.phone(), MessageKind.TEXT, REPLY_LABEL,
                    text.strip(), now);
            handoffs.answered(c, id, now);
            handoffs.addEvent(c, id, HandoffEventKind.REPLIED, user, text.strip(), outboxId, null, now);
            return new Queued(outboxId);
        });
        LOG.info("handoff={} reply: {}", id, describe(outcome));
        if (outcome instanceof Queued) {
            nudge.run();
        }
        return outcome;
    }

    public FollowUpOutcome followUp(long id, String user, Instant now) {
        return followUp(id, user, false, now);
    }

    /**
     * Sends the site's follow-up template (templates.yaml follow_up), which may go outside the 24-hour window: the
     * way to reach a patient whose window has closed. Same rules of who as {@link #reply}.
     */
    public FollowUpOutcome followUp(long id, String user, boolean override, Instant now) {
        FollowUpOutcome outcome = db.inTransaction(c -> {
            Gate gate = gate(c, id, user, override, false);
            if (gate.stop() != null) {
                return (FollowUpOutcome) gate.stop();
            }
            Handoff h = gate.handoff();
            String template = followUpTemplate(h.site());
            if (template == null) {
                return new NoTemplate();
            }
            if (conversations.isOptedOut(c, h.phone())) {
                return new OptedOut();
            }
            long outboxId = outbox.addReply(c, h.appointmentId(), h.phone(), MessageKind.FOLLOW_UP, FOLLOW_UP_LABEL,
                    null, now);
            handoffs.answered(c, id, now);
            handoffs.addEvent(c, id, HandoffEventKind.TEMPLATE, user, template, outboxId, null, now);
            return new Queued(outboxId);
        });
        LOG.info("handoff={} follow-up: {}", id, describe(outcome));
        if (outcome instanceof Queued) {
            nudge.run();
        }
        return outcome;
    }

    /** An internal note on the item (any status): never sent to the patient. */
    public NoteOutcome note(long id, String user, String text, Instant now) {
        NoteOutcome outcome = db.inTransaction(c -> {
            if (handoffs.lock(c, id).isEmpty()) {
                return new NotFound();
            }
            if (text == null || text.isBlank()) {
                return new EmptyText();
            }
            handoffs.addEvent(c, id, HandoffEventKind.NOTE, user, text.strip(), null, null, now);
            handoffs.touched(c, id);
            return new Noted();
        });
        LOG.info("handoff={} note: {}", id, outcome.getClass().getSimpleName());
        return outcome;
    }

    /**
     * Resolves the item. Anyone who may see it may resolve it (an item opened by mistake need not be claimed first);
     * the trail records who did.
     */
    public ResolveOutcome resolve(long id, String user, Instant now) {
        ResolveOutcome outcome = db.inTransaction(c -> {
            if (handoffs.resolve(c, id, user, now)) {
                handoffs.addEvent(c, id, HandoffEventKind.RESOLVED, user, null, null, null, now);
                return new Resolved();
            }
            return handoffs.find(c, id).isEmpty() ? new NotFound() : new AlreadyResolved();
        });
        LOG.info("handoff={} resolve: {}", id, outcome.getClass().getSimpleName());
        return outcome;
    }

    public ReleaseOutcome release(long id, String user, Instant now) {
        return release(id, user, false, now);
    }

    /** Gives a claimed item back to its queue (OPEN): by the one who claimed it, or with {@code override}. */
    public ReleaseOutcome release(long id, String user, boolean override, Instant now) {
        ReleaseOutcome outcome = db.inTransaction(c -> {
            Gate gate = gate(c, id, user, override, true);
            if (gate.stop() != null) {
                return (ReleaseOutcome) gate.stop();
            }
            Handoff h = gate.handoff();
            handoffs.release(c, id, h.claimedBy(), now);
            handoffs.addEvent(c, id, HandoffEventKind.RELEASED, user, null, null, null, now);
            return new Released();
        });
        LOG.info("handoff={} release: {}", id, outcome.getClass().getSimpleName());
        return outcome;
    }

    /** Whether {@code user} may act on the item: it is CLAIMED by them, or {@code override} and claimed at all. */
    /**
     * The item, locked, for a step only its claimer (or an override) may take — or what stops the step: NotFound,
     * AlreadyResolved or NotClaimedByYou, each of which is a ReplyOutcome, a FollowUpOutcome and a ReleaseOutcome.
     */
    private record Gate(Handoff handoff, Object stop) {
    }

    private Gate gate(Connection c, long id, String user, boolean override, boolean mustBeClaimed)
            throws SQLException {
        Optional<Handoff> found = handoffs.lock(c, id);
        if (found.isEmpty()) {
            return new Gate(null, new NotFound());
        }
        Handoff h = found.get();
        if (h.status() == HandoffStatus.RESOLVED) {
            return new Gate(null, new AlreadyResolved());
        }
        if ((mustBeClaimed && h.status() != HandoffStatus.CLAIMED) || !holds(h, user, override)) {
            return new Gate(null, new NotClaimedByYou(h.claimedBy()));
        }
        return new Gate(h, null);
    }

    private static boolean holds(Handoff h, String user, boolean override) {
        return h.status() == HandoffStatus.CLAIMED && (override || user.equals(h.claimedBy()));
    }

    /** The WhatsApp name of the follow-up template {@code site} offers, or null. */
    private String followUpTemplate(String site) {
        if (!rules.offersFollowUp(site)) {
            return null;
        }
        TemplateSpec spec = templates.template(MessageKind.FOLLOW_UP);
        return spec == null ? null : spec.name();
    }

    private static String name(Handoffs.PatientRef p) {
        List<String> parts = new ArrayList<>();
        if (p.givenName() != null && !p.givenName().isBlank()) {
            parts.add(p.givenName().strip());
        }
        if (p.familyName() != null && !p.familyName().isBlank()) {
            parts.add(p.familyName().strip());
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** An outcome for the log: its type, and the outbox id when a message was queued (never the text). */
    private static String describe(Object outcome) {
        return outcome instanceof Queued q ? "Queued outbox=" + q.outboxId() : outcome.getClass().getSimpleName();
    }
}
