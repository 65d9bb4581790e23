package org.careline.conversation;

import org.careline.model.Intent;
import org.careline.config.ReplyRules;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Acts on a patient's message, in the transaction that recorded it: ties it to an appointment, understands it
 * ({@link ReplyClassifier}), and queues what follows — a reply, a request to the scheduling system, a staff
 * handoff, an opt-out, and (where the site records messages) the message itself for the FHIR server. Replies go
 * through the outbox like every other message.
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

    public ReplyHandler(ReplyRules rules, SiteDirectory sites, ConversationStore conversations, Outbox outbox,
                        WritebackRequests writebacks) {
        this.rules = rules;
        this.classifier = new ReplyClassifier(rules);
        this.sites = sites;
        this.conversations = conversations;
        this.outbox = outbox;
        this.writebacks = writebacks;
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
        conversations.recordIntent(c, replyId, intent.name(), appointmentId);
        String language = languageFor(c, appointment, understood, phone);
        Site site = sites.site(appointment.map(AppointmentRef::siteCode).orElse(null));
        if (appointment.isPresent() && site.fhir().recordMessages()
                && WritebackChannel.FHIR_SOURCE.equals(appointment.get().source())) {
            // Queued before any answer it leads to, so the EHR gets the message first; whatever the intent, and
            // from opted-out numbers too: it is what the patient wrote.
            writebacks.enqueue(c, appointmentId, WritebackAction.RECORD_MESSAGE, replyId, now);
        }
        boolean optedOut = conversations.isOptedOut(c, phone);
        LOG.info("reply={} intent={} appointment={}", replyId, intent, appointmentId);

        switch (intent) {
            case EMERGENCY -> {
                // Before anything else, and even to a number that opted out: the patient may be in danger.
                reply(c, appointmentId, phone, MessageKind.SERVICE_TEXT, "emergency", text(language, "emergency", site), now);
                long handoff = conversations.addHandoff(c, phone, appointmentId, replyId, "EMERGENCY", true, now);
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
                answer(c, intent, appointment, replyId, phone, language, site, now);
            }
        }
    }

    private void answer(Connection c, Intent intent, Optional<AppointmentRef> appointment, long replyId, String phone,
                        String language, Site site, Instant now) throws SQLException {
        Long appointmentId = appointment.map(AppointmentRef::id).orElse(null);
        switch (intent) {
            case CONFIRM, CHANGE, CANCEL, LOCATION -> {
                if (appointment.isEmpty()) {
                    reply(c, null, phone, MessageKind.TEXT, "no-appointment", text(language, "noAppointment", site), now);
                    conversations.addHandoff(c, phone, null, replyId, "NO_APPOINTMENT", false, now);
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
                reply(c, appointmentId, phone, MessageKind.TEXT, textName, text(language, textName, site), now);
            }
            case THANKS -> {
                // recorded; no answer
            }
            case HELP -> {
                reply(c, appointmentId, phone, MessageKind.TEXT, "help", text(language, "help", site), now);
                conversations.addHandoff(c, phone, appointmentId, replyId, "HELP", false, now);
            }
            default -> {
                reply(c, appointmentId, phone, MessageKind.TEXT, "menu", text(language, "menu", site), now);
                conversations.addHandoff(c, phone, appointmentId, replyId, "NOT_UNDERSTOOD", false, now);
            }
        }
    }

    /**
     * The appointment a message is about: the one whose message it answers (a quick-reply press carries the
     * template's wamid as context), the one a button payload names ("CONFIRM:123"), else the number's next one.
     */
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
                               ReplyClassifier.Classification understood, String phone) throws SQLException {
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
        return rules.defaultLanguage();
    }

    private String text(String language, String name, Site site) {
        return text(language, name, site, site.name(), site.address());
    }

    /** A reply text naming a place other than the site itself (the appointment's own location). */
    private String text(String language, String name, Site site, String facilityName, String facilityAddress) {
        return rules.text(language, name)
                .replace("{clinic_phone}", orDash(site.phone()))
                .replace("{emergency_number}", orDash(site.emergencyNumber()))
                .replace("{facility_name}", orDash(facilityName))
                .replace("{facility_address}", orDash(facilityAddress));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private void reply(Connection c, Long appointmentId, String phone, MessageKind kind, String label, String body,
                       Instant now) throws SQLException {
        outbox.addReply(c, appointmentId, phone, kind, label, body, now);
    }
}
