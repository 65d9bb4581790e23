package org.careline.ingest.hl7;

import org.apache.camel.Exchange;
import org.careline.model.EngineEvents;
import org.careline.model.LogSafe;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the ACK where camel-mllp sends it from (the CamelMllpAcknowledgementString property). Negative ACKs are
 * built from the typed exception the route caught; AE/AR outcomes are remembered so a resend gets the same code.
 */
public final class Acknowledger {

    /** Exchange property holding the received MSH, set before parsing so even an unparsable message is answered. */
    public static final String HEADER = "carelineMsh";
    /** Exchange property holding the message's text as decoded, kept with an AE/AR receipt for a replay. */
    public static final String TEXT = "carelineHl7Text";
    /** Exchange property set (true) when a replay changed nothing: the message had been applied meanwhile. */
    public static final String REPLAY_REFUSED = "carelineReplayRefused";
    /** Exchange property set (true) when the answer is our own failure's AE, remembered nowhere. */
    public static final String INTERNAL_ERROR = "carelineInternalError";
    private static final String ACK_PROPERTY = "CamelMllpAcknowledgementString";
    private static final Logger LOG = LoggerFactory.getLogger(Acknowledger.class);

    private final Database db;
    private final InboundLog inbound;
    private final Clock clock;
    private final Set<String> acceptedTypes;
    private final Hl7Codes codes;
    private final EngineEvents events;

    public Acknowledger(Database db, InboundLog inbound, Clock clock, Set<String> acceptedTypes) {
        this(db, inbound, clock, acceptedTypes, EngineEvents.NONE);
    }

    /** @param events told of every answer (type, trigger and ACK code as labels), for operators' metrics */
    public Acknowledger(Database db, InboundLog inbound, Clock clock, Set<String> acceptedTypes, EngineEvents events) {
        this.events = events;
        this.db = db;
        this.inbound = inbound;
        this.clock = clock;
        this.acceptedTypes = acceptedTypes;
        this.codes = new Hl7Codes(acceptedTypes);
    }

    /** The message's effect is committed: send the ACK the handler returned. */
    public void send(Exchange exchange) {
        answer(exchange, exchange.getMessage().getBody(String.class));
    }

    /**
     * Every answer goes out through here, so each is counted once: by MSH-9 as a known code and by the MSA-1 of
     * the ACK itself (a resend answered as its first copy counts with the code it gets again).
     */
    private void answer(Exchange exchange, String ack) {
        exchange.setProperty(ACK_PROPERTY, ack);
        String[] type = typeLabels(codes.messageType(exchange.getProperty(HEADER, MshHeader.class)));
        events.hl7Answered(type[0], type[1], ackCodeOf(ack));
    }

    /** "SIU^S12" → {SIU, S12}; "ACK" → {ACK, ""}; anything else (unknown, or no MSH) → {unknown, unknown}. */
    static String[] typeLabels(String knownCode) {
        if (knownCode != null && knownCode.matches("[A-Z]{3}(\\^[A-Z][A-Z0-9]{2})?")) {
            int caret = knownCode.indexOf('^');
            return caret < 0 ? new String[]{knownCode, ""}
                    : new String[]{knownCode.substring(0, caret), knownCode.substring(caret + 1)};
        }
        return new String[]{EngineEvents.UNKNOWN, EngineEvents.UNKNOWN};
    }

    /** MSA-1 of an ACK we built (AA, AE, AR, or the C-codes), else unknown. */
    static String ackCodeOf(String ack) {
        if (ack != null) {
            for (String segment : ack.split("[\\r\\n]+")) {
                if (segment.startsWith("MSA") && segment.length() > 4) {
                    String[] fields = segment.split(java.util.regex.Pattern.quote(segment.substring(3, 4)), -1);
                    if (fields.length > 1 && fields[1].matches("[AC][AER]")) {
                        return fields[1];
                    }
                }
            }
        }
        return EngineEvents.UNKNOWN;
    }

    /** A message type nobody handles: AR naming the accepted types. */
    public void unsupported(Exchange exchange) {
        MshHeader h = exchange.getProperty(HEADER, MshHeader.class);
        String type = h == null ? "?" : h.messageType() + "^" + h.triggerEvent();
        negative(exchange, new ApplicationRejectException("Message type " + type + " is not accepted; accepted: "
                + String.join(", ", acceptedTypes), 200, "MSH", 9));
    }

    /** The route caught an AE/AR outcome (or a failure of ours): answer it, remember it. */
    public void rejected(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof Hl7AckException ack) {
            negative(exchange, ack);
        } else if (caught instanceof ReplayRefusedException) {
            answerAsBefore(exchange);
        } else {
            // Our failure (e.g. database down), not the sender's: AE without remembering it, so a resend is retried.
            // The class only: a driver's message can quote row values, which may be PHI.
            LOG.error("HL7 message could not be processed: {}",
                    caught == null ? "unknown" : caught.getClass().getSimpleName());
            MshHeader h = exchange.getProperty(HEADER, MshHeader.class);
            exchange.setProperty(INTERNAL_ERROR, true);
            answer(exchange, AckBuilder.error(h, new ApplicationErrorException(
                    "Application internal error; please resend", 207, null, 0)));
        }
    }

    private void negative(Exchange exchange, Hl7AckException error) {
        MshHeader h = exchange.getProperty(HEADER, MshHeader.class);
        Replay replay = exchange.getProperty(Replay.PROPERTY, Replay.class);
        if (replay != null) {
            // An analyst's replay: the new AE/AR replaces the stored one (kept as the earlier answer).
            if (!db.inTransaction(c -> inbound.supersede(c, replay.inboundId(), error.ackCode(), error.getMessage(),
                    error.errorCode(), error.segment(), error.field(), replay.user(), replay.at()))) {
                answerAsBefore(exchange);
                return;
            }
        } else if (h != null && !h.controlId().isEmpty()) {
            Optional<String> earlier = replay(db, inbound, h);
            if (earlier.isPresent()) {
                answer(exchange, earlier.get());
                return;
            }
            try {
                db.inTransaction(c -> inbound.record(c, h.sender(), h.controlId(),
                        h.messageType() + "^" + h.triggerEvent(), error.ackCode(), error.getMessage(),
                        error.errorCode(), error.segment(), error.field(), exchange.getProperty(TEXT, String.class),
                        clock.instant()));
            } catch (DuplicateMessageException ignored) {
                // recorded by a concurrent copy
            }
        }
        // MSH-9 and MSH-12 only as known codes: the sender chose them, and our answer's text quotes them.
        LOG.info("HL7 {} version={} control={} {} code={} ({})", codes.messageType(h),
                h == null ? "?" : Hl7Codes.version(h.version()), h == null ? "?" : LogSafe.text(h.controlId()),
                error.ackCode(), error.errorCode(), loggable(error));
        answer(exchange, AckBuilder.error(h, error));
    }

    /** The error's text for a log line; about MSH-9 or MSH-12 it quotes the sender's value, so it says only which. */
    private static String loggable(Hl7AckException error) {
        if ("MSH".equals(error.segment()) && (error.field() == 9 || error.field() == 12)) {
            return "MSH-" + error.field() + " not accepted";
        }
        return LogSafe.text(error.getMessage());
    }

    /** A replay that found its message applied meanwhile: nothing changed, the answer is the stored one. */
    private void answerAsBefore(Exchange exchange) {
        MshHeader h = exchange.getProperty(HEADER, MshHeader.class);
        exchange.setProperty(REPLAY_REFUSED, true);
        answer(exchange, h == null ? null : replay(db, inbound, h).orElse(AckBuilder.accept(h)));
    }

    /** The ACK for a message already answered, with the code it got then; empty if it is new. */
    static Optional<String> replay(Database db, InboundLog inbound, MshHeader h) {
        return db.inTransaction(c -> inbound.find(c, h.sender(), h.controlId())).map(o -> {
            String type = h.messageType() + "^" + h.triggerEvent();
            if (!type.equals(o.messageType())) {
                // Same sender and MSH-10 but another kind of message: a feed reusing control ids. Still a
                // duplicate by the rules, but someone should look at that feed.
                LOG.warn("inbound={} control id reused by another kind of message: treated as a resend", o.id());
            }
            if (o.errorCode() == null) {
                return AckBuilder.reply(h, o.ackCode(), o.ackText());
            }
            int field = o.errorField() == null ? 0 : o.errorField();
            Hl7AckException first = "AR".equals(o.ackCode())
                    ? new ApplicationRejectException(o.ackText(), o.errorCode(), o.errorSegment(), field)
                    : new ApplicationErrorException(o.ackText(), o.errorCode(), o.errorSegment(), field);
            return AckBuilder.error(h, first);
        });
    }
}
