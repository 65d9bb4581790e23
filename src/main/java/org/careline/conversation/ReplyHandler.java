package org.careline.conversation;

import org.careline.consent.ConsentRecorder;
import org.careline.model.AlertRaise;
import org.careline.model.ConsentValue;
import org.careline.model.PatientConsent;
import org.careline.store.ConsentStore;
import org.careline.model.AlertSeverity;
import org.careline.model.HandoffEventKind;
import org.careline.model.HandoffReason;
import org.careline.model.Intent;
import org.careline.config.ReplyRules;
import org.careline.config.TriageRules;
import org.careline.store.AlertLog;
import org.careline.store.Handoffs;
import org.careline.model.Site;
import org.careline.config.SiteDirectory;
import org.careline.model.InboundMessage;
import org.careline.ingest.whatsapp.InboundMessageSink;
import org.careline.model.MessageKind;
import org.careline.send.ReplyRenderer;
import org.careline.store.WritebackRequests;
import org.careline.store.ConversationStore;
import org.careline.store.ConversationStore.AppointmentRef;
import org.careline.store.Outbox;
import org.careline.model.WritebackAction;
import org.careline.model.WritebackChannel;
import org.careline.conversation.TriageClassifier.ToQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Acts on a patient's message, in the transaction that recorded it: ties it to an appointment, understands it
 * ({@link ReplyClassifier}), and queues what follows — a reply, a request to the scheduling system, a staff
 * handoff, an opt-out, and (where the site records messages) the message itself for the FHIR server. Replies go
 * through the outbox like every other message.
 *
 * <p>A message that needs a person lands in a triage queue ({@link TriageClassifier}, mappings/triage.yaml) as a
 * staff handoff: due when the queue's SLA runs out, an emergency escalating if nobody claims it, an emergency alert
 * at once. A later message from the same number while an item of the same queue is OPEN or CLAIMED is added to that
 * item (a MESSAGE event) rather than opening another, so staff see one conversation per queue.
 */
public final class ReplyHandler implements InboundMessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyHandler.class);
    /** Message types that need no answer at all. */
    private static final Set<String> SILENT_TYPES = Set.of("reaction", "system", "unsupported", "order", "unknown",
            "request_welcome", "ephemeral");

    private final ReplyRules rules;
    private final ReplyClassifier classifier;
    private final SiteDirectory sites;
    private final ConversationStore conversations;
    private final Outbox outbox;
    private final WritebackRequests writebacks;
    private final Triage triage;
    private final TriageClassifier triageClassifier;
    /** The source of a consent the patient gave or took back by message, in the consent history and the trail. */
    public static final String PATIENT_REPLY = "patient-reply";
    private final ConsentStore consents;
    private final ConsentRecorder consentRecorder;

    /**
     * What landing items in triage queues takes.
     *
     * @param reachable the write-back channels configured in this engine (a change request whose channel is not
     *                  configured needs a person from the scheduling queue)
     */
    public record Triage(TriageRules rules, Handoffs handoffs, AlertLog alerts, Set<WritebackChannel> reachable) {
    }

    public ReplyHandler(ReplyRules rules, SiteDirectory sites, ConversationStore conversations, Outbox outbox,
                        WritebackRequests writebacks, Triage triage, ConsentStore consents,
                        ConsentRecorder consentRecorder) {
        this.rules = rules;
        this.classifier = new ReplyClassifier(rules);
        this.sites = sites;
        this.conversations = conversations;
        this.outbox = outbox;
        this.writebacks = writebacks;
        this.triage = triage;
        this.triageClassifier = new TriageClassifier(triage.rules());
        this.consents = consents;
        this.consentRecorder = consentRecorder;
    }

    @Override
    public void accept(Connection c, InboundMessage m, long replyId, Instant now) throws SQLException {
        String phone = m.fromE164();
        Optional<AppointmentRef> appointment = appointmentOf(c, m, now);
        Long appointmentId = appointment.map(AppointmentRef::id).orElse(null);
        if (SILENT_TYPES.contains(m.type())) {
            conversations.recordIntent(c, replyId, Intent.IGNORED.name(), appointmentId);
            return;
        }
        ReplyClassifier.Classification understood = classifier.classify(m.text(), m.payload());
        Intent intent = understood.intent();
        List<Long> patients = patientsOf(c, appointment, phone);
        List<Long> asked = new ArrayList<>();
        for (long p : patients) {
            PatientConsent pc = consents.current(c, p).orElse(PatientConsent.UNKNOWN);
            if (pc.requested() && pc.consent() == null) {
                asked.add(p);
            }
        }
        if (intent == Intent.CONFIRM && !asked.isEmpty()) {
            // "yes" while the opt-in question is open answers that question: there is nothing to confirm yet, the
            // confirmation itself is held for this answer.
            intent = Intent.CONSENT_YES;
        }
        boolean consentWord = intent == Intent.CONSENT_YES || intent == Intent.CONSENT_NO;
        if (consentWord && asked.isEmpty() && m.payload() == null) {
            // A typed "no" with no question open is not a refusal of messages: not understood, as before.
            intent = Intent.OTHER;
        }
        conversations.recordIntent(c, replyId, intent.name(), appointmentId);
        if (intent == Intent.CONSENT_YES || intent == Intent.CONSENT_NO) {
            ConsentValue value = intent == Intent.CONSENT_YES ? ConsentValue.GRANTED : ConsentValue.REFUSED;
            for (long p : asked.isEmpty() ? patients : asked) {
                consentRecorder.record(c, p, value, PATIENT_REPLY, now);
            }
            LOG.info("reply={} intent={} appointment={} patients={}", replyId, intent, appointmentId,
                    (asked.isEmpty() ? patients : asked).size());
            return;
        }
        if (intent == Intent.STOP || intent == Intent.START) {
            // STOP takes consent back and START gives it, for every patient of the number: the trail records it.
            for (long p : patients) {
                consentRecorder.record(c, p, intent == Intent.STOP ? ConsentValue.WITHDRAWN : ConsentValue.GRANTED,
                        PATIENT_REPLY, now);
            }
        }
        Site site = sites.site(appointment.map(AppointmentRef::siteCode).orElse(null));
        String language = languageFor(c, appointment, understood, phone, site);
        if (appointment.isPresent() && site.fhir().recordMessages()
                && WritebackChannel.FHIR_SOURCE.equals(appointment.get().source())) {
            // Queued before any answer it leads to, so the EHR gets the message first; whatever the intent, and
            // from opted-out numbers too: it is what the patient wrote.
            writebacks.enqueue(c, appointmentId, WritebackAction.RECORD_MESSAGE, replyId, now);
        }
        boolean optedOut = conversations.isOptedOut(c, phone);
        LOG.info("reply={} intent={} appointment={}", replyId, intent, appointmentId);
        TriageClassifier.Decision decision = triageClassifier.classify(m.text(), intent, situation(appointment, site));

        switch (intent) {
            case EMERGENCY -> {
                // Before anything else, and even to a number that opted out: the patient may be in danger.
                long answer = reply(c, appointmentId, phone, MessageKind.SERVICE_TEXT, "emergency",
                        text(language, "emergency", site), now);
                long handoff = land(c, (ToQueue) decision, phone, appointmentId, replyId, site, answer, now);
                LOG.warn("URGENT: emergency words in reply={}; staff handoff={}", replyId, handoff);
            }
            case STOP -> {
                if (!optedOut) {
                    conversations.setOptedOut(c, phone, true, now);
                    reply(c, appointmentId, phone, MessageKind.SERVICE_TEXT, "opt-out", text(language, "stopped", site), now);
                }
            }
            case START -> {
                if (optedOut) {
                    conversations.setOptedOut(c, phone, false, now);
                }
                reply(c, appointmentId, phone, MessageKind.TEXT, "opt-in", text(language, "started", site), now);
            }
            default -> {
                if (optedOut) {
                    return; // nothing of any kind until START
                }
                if (decision instanceof ToQueue q && q.reason().answeredByQueue()) {
                    toQueue(c, q, phone, appointmentId, replyId, site, understood, appointment, now);
                    return;
                }
                answer(c, intent, appointment, replyId, phone, language, site,
                        decision instanceof ToQueue q ? q : null, now);
            }
        }
    }

    /**
     * A message a queue's keyword or menu digit sent to that queue: the queue's own acknowledgement instead of the
     * menu (or the help text), sent only when the item is opened — a patient adding to an open item has been told.
     */
    private void toQueue(Connection c, ToQueue q, String phone, Long appointmentId, long replyId, Site site,
                         ReplyClassifier.Classification understood, Optional<AppointmentRef> appointment, Instant now)
            throws SQLException {
        boolean adding = triage.handoffs().active(c, phone, q.queue()).isPresent();
        long handoff = land(c, q, phone, appointmentId, replyId, site, null, now);
        if (adding) {
            return;
        }
        // The keyword's language tells more than the default when nothing else is known of the patient.
        String language = languageFor(c, appointment, q.language() != null
                ? new ReplyClassifier.Classification(understood.intent(), q.language()) : understood, phone, site);
        String ack = text(site, triage.rules().acknowledgement(q.queue(), language));
        long answer = reply(c, appointmentId, phone, MessageKind.TEXT, "ack-" + q.queue(), ack, now);
        triage.handoffs().addEvent(c, handoff, HandoffEventKind.ACKNOWLEDGED, null, null, answer, null, now);
    }

    private TriageClassifier.Situation situation(Optional<AppointmentRef> appointment, Site site) {
        boolean taken = appointment.isPresent() && triage.reachable().contains(WritebackChannel.of(
                WritebackAction.CHANGE, site.scheduling(), appointment.get().source()));
        Set<String> disabled = new java.util.HashSet<>(triage.rules().queues().keySet());
        disabled.removeAll(triage.rules().queuesAt(site.code()));
        return new TriageClassifier.Situation(appointment.isPresent(), taken, disabled);
    }

    /**
     * Puts the message in its queue: added to the number's OPEN or CLAIMED item of that queue (a MESSAGE event), else
     * a new item due when the queue's SLA runs out (an emergency: escalating after the site's escalateAfter, and an
     * alert raised at once). {@code answer}: the outbox row that answered the patient, or null. Returns the item.
     */
    private long land(Connection c, ToQueue q, String phone, Long appointmentId, long replyId, Site site,
                      Long answer, Instant now) throws SQLException {
        if (q == null) {
            return -1; // the classifier opened no item for this intent: nothing to land
        }
        Handoffs handoffs = triage.handoffs();
        Optional<Handoffs.Handoff> active = handoffs.active(c, phone, q.queue());
        long id;
        if (active.isPresent()) {
            id = active.get().id();
            handoffs.addEvent(c, id, HandoffEventKind.MESSAGE, null, null, null, replyId, now);
            handoffs.touched(c, id);
            LOG.info("reply={} added to staff handoff={} queue={}", replyId, id, q.queue());
        } else {
            boolean emergency = TriageRules.EMERGENCY.equals(q.queue());
            id = handoffs.insert(c, new Handoffs.NewHandoff(phone, appointmentId, replyId, q.reason().name(),
                    emergency, q.queue(), site.code(), now.plus(triage.rules().sla(site.code(), q.queue())),
                    emergency ? now.plus(triage.rules().escalateAfter(site.code())) : null), now);
            handoffs.addEvent(c, id, HandoffEventKind.CREATED, null, null, null, replyId, now);
            if (emergency) {
                triage.alerts().raise(c, new AlertRaise("emergency", AlertSeverity.CRITICAL, site.code(),
                        "handoff:" + id, null, "handoff=" + id + " queue=" + q.queue()), now);
            }
            LOG.info("reply={} opened staff handoff={} queue={} reason={}", replyId, id, q.queue(), q.reason());
        }
        if (answer != null) {
            handoffs.addEvent(c, id, HandoffEventKind.ACKNOWLEDGED, null, null, answer, null, now);
        }
        return id;
    }

    /** The answer each intent has always had; {@code item}: the queue the message lands in, or null. */
    private void answer(Connection c, Intent intent, Optional<AppointmentRef> appointment, long replyId, String phone,
                        String language, Site site, ToQueue item, Instant now) throws SQLException {
        Long appointmentId = appointment.map(AppointmentRef::id).orElse(null);
        switch (intent) {
            case CONFIRM, CHANGE, CANCEL, LOCATION -> {
                if (appointment.isEmpty()) {
                    long answer = reply(c, null, phone, MessageKind.TEXT, "no-appointment",
                            text(language, "noAppointment", site), now);
                    land(c, item, phone, null, replyId, site, answer, now);
                    return;
                }
                if (intent == Intent.LOCATION) {
                    // The appointment's own location (a FHIR Location) wins over its site's.
                    ConversationStore.Pin pin = conversations.pinOf(c, appointmentId).orElse(null);
                    String name = pin != null && pin.name() != null ? pin.name() : site.name();
                    String address = pin != null && pin.address() != null ? pin.address() : site.address();
                    if (pin != null && pin.hasCoordinates()) {
                        reply(c, appointmentId, phone, MessageKind.LOCATION, "location", ReplyRenderer.locationBody(
                                pin.latitude(), pin.longitude(), name, address), now);
                    } else if (pin == null && site.hasCoordinates()) {
                        reply(c, appointmentId, phone, MessageKind.LOCATION, "location", ReplyRenderer.locationBody(
                                site.latitude(), site.longitude(), name, address), now);
                    } else {
                        reply(c, appointmentId, phone, MessageKind.TEXT, "location",
                                text(language, "noMap", site, name, address), now);
                    }
                    return;
                }
                if (intent == Intent.CONFIRM) {
                    conversations.markConfirmed(c, appointmentId, now);
                }
                writebacks.enqueue(c, appointmentId, WritebackAction.valueOf(intent.name()), replyId, now);
                String textName = intent.name().toLowerCase(java.util.Locale.ROOT);
                long answer = reply(c, appointmentId, phone, MessageKind.TEXT, textName,
                        text(language, textName, site), now);
                if (item != null) {
                    // A change the scheduling system cannot take yet: queued all the same (sent once its channel is
                    // configured), and a person at the scheduling desk sees it now.
                    land(c, item, phone, appointmentId, replyId, site, answer, now);
                }
            }
            case THANKS -> {
                // recorded; no answer
            }
            case HELP -> {
                long answer = reply(c, appointmentId, phone, MessageKind.TEXT, "help", text(language, "help", site),
                        now);
                land(c, item, phone, appointmentId, replyId, site, answer, now);
            }
            default -> {
                long answer = reply(c, appointmentId, phone, MessageKind.TEXT, "menu", text(language, "menu", site),
                        now);
                land(c, item, phone, appointmentId, replyId, site, answer, now);
            }
        }
    }

    /**
     * The appointment a message is about: the one whose message it answers (a quick-reply press carries the
     * template's wamid as context), the one a button payload names ("CONFIRM:123"), else the number's next one.
     */
    /** The patient(s) a message speaks for: the appointment's patient, else every patient of the number. */
    private List<Long> patientsOf(Connection c, Optional<AppointmentRef> appointment, String phone)
            throws SQLException {
        if (appointment.isPresent()) {
            Optional<Long> p = consents.patientOfAppointment(c, appointment.get().id());
            if (p.isPresent()) {
                return List.of(p.get());
            }
        }
        return phone == null ? List.of() : consents.patientsByPhone(c, phone);
    }

    private Optional<AppointmentRef> appointmentOf(Connection c, InboundMessage m, Instant now) throws SQLException {
        Optional<AppointmentRef> byContext = conversations.byOutboundWamid(c, m.contextWamid());
        if (byContext.isPresent()) {
            return byContext;
        }
        if (m.payload() != null) {
            String[] parts = m.payload().split("[:|]", 2);
            if (parts.length == 2 && parts[1].matches("\\d{1,18}")) {
                Optional<AppointmentRef> named = conversations.byId(c, Long.parseLong(parts[1]));
                if (named.isPresent()) {
                    return named;
                }
            }
        }
        return conversations.nextUpcoming(c, m.fromE164(), now);
    }

    private String languageFor(Connection c, Optional<AppointmentRef> appointment,
                               ReplyClassifier.Classification understood, String phone, Site site)
            throws SQLException {
        String patient = appointment.map(AppointmentRef::language).orElse(null);
        if (patient == null) {
            patient = conversations.languageOf(c, phone);
        }
        if (patient != null && rules.languages().containsKey(patient)) {
            return patient;
        }
        if (understood.language() != null) {
            return understood.language();
        }
        // Nothing known of the patient: the site's language (sites.yaml) before replies.yaml's default.
        if (site.language() != null && rules.languages().containsKey(site.language())) {
            return site.language();
        }
        return rules.defaultLanguage();
    }

    private String text(String language, String name, Site site) {
        return text(language, name, site, site.name(), site.address());
    }

    /** A triage.yaml text, with the same placeholders as replies.yaml's. */
    private String text(Site site, String template) {
        return fill(template, site, site.name(), site.address());
    }

    /** A reply text naming a place other than the site itself (the appointment's own location). */
    private String text(String language, String name, Site site, String facilityName, String facilityAddress) {
        return fill(rules.text(language, name), site, facilityName, facilityAddress);
    }

    private static String fill(String template, Site site, String facilityName, String facilityAddress) {
        return template
                .replace("{clinic_phone}", orDash(site.phone()))
                .replace("{emergency_number}", orDash(site.emergencyNumber()))
                .replace("{facility_name}", orDash(facilityName))
                .replace("{facility_address}", orDash(facilityAddress));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private long reply(Connection c, Long appointmentId, String phone, MessageKind kind, String label, String body,
                       Instant now) throws SQLException {
        return outbox.addReply(c, appointmentId, phone, kind, label, body, now);
    }
}
