package org.careline.consent;

import org.careline.model.ConsentSignal;
import org.careline.model.ConsentValue;
import org.careline.store.ConsentStore;
import org.careline.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Records a change of a patient's consent, whoever said it (an HL7 feed, a FHIR Consent, the patient's reply, staff),
 * in the caller's transaction, and does what follows from it: a yes releases the messages held for it; a refusal
 * cancels what is still waiting. A withdrawal (STOP) or a protection indicator cancels nothing: the messages are
 * skipped when they fall due, so a later START or a cleared indicator lets the rest go again.
 */
public final class ConsentRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentRecorder.class);

    private final ConsentStore store;
    private final Outbox outbox;

    public ConsentRecorder(ConsentStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /**
     * What one change did.
     *
     * @param changed   false when the patient's state already said so (nothing written)
     * @param released  held messages now due
     * @param cancelled waiting messages cancelled
     */
    public record Outcome(boolean changed, int released, int cancelled) {
        static final Outcome UNCHANGED = new Outcome(false, 0, 0);
    }

    public Outcome record(Connection c, long patientId, ConsentValue value, String source, Instant now)
            throws SQLException {
        return record(c, patientId, value, source, null, now);
    }

    /** As {@link #record(Connection, long, ConsentValue, String, Instant)}, with a note kept beside the change. */
    public Outcome record(Connection c, long patientId, ConsentValue value, String source, String note, Instant now)
            throws SQLException {
        if (!store.record(c, patientId, value, source, note, now)) {
            return Outcome.UNCHANGED;
        }
        int released = value == ConsentValue.GRANTED ? outbox.releaseHeld(c, patientId, now) : 0;
        int cancelled = value == ConsentValue.REFUSED
                ? outbox.cancelPendingOfPatient(c, patientId, "consent refused", now) : 0;
        LOG.info("patient={} consent={} source={} released={} cancelled={}", patientId, value,
                sourceKind(source), released, cancelled);
        return new Outcome(true, released, cancelled);
    }

    /**
     * Applies what a feed said: the protection indicator first (it overrides any consent), then the consent. A
     * feed's N clears only a Y the feed set before; it grants nothing by itself.
     */
    public Outcome apply(Connection c, long patientId, ConsentSignal signal, String source, Instant now)
            throws SQLException {
        Outcome total = Outcome.UNCHANGED;
        if (signal.protection() != null) {
            total = add(total, record(c, patientId, signal.protection() ? ConsentValue.PROTECTED
                    : ConsentValue.UNPROTECTED, source, now));
        }
        if (signal.consent() != null) {
            total = add(total, record(c, patientId, signal.consent(), source, now));
        }
        return total;
    }

    private static Outcome add(Outcome a, Outcome b) {
        return new Outcome(a.changed() || b.changed(), a.released() + b.released(), a.cancelled() + b.cancelled());
    }

    /** The log shows the kind of source only: hl7, fhir, staff, patient-reply (a sender, id or user stays in the trail). */
    private static String sourceKind(String source) {
        int colon = source.indexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }
}
