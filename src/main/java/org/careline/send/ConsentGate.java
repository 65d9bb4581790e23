package org.careline.send;

import org.careline.model.ConsentMode;
import org.careline.model.MessageKind;
import org.careline.model.PatientConsent;

/**
 * May this message go to this patient now, as far as consent goes? Pure: decided from the site's mode, the patient's
 * consent and protection indicator, and the message's kind; the dispatcher asks it after {@link SendDecision} said
 * send.
 *
 * <ul>
 *   <li>A protected patient (PD1-12 = Y) gets nothing, in either mode, except a service text (the advice to call
 *       the emergency number, the opt-out confirmation): those answer the patient's own message.</li>
 *   <li>A patient who refused or withdrew consent gets nothing but service texts, in either mode.</li>
 *   <li>Opt-out site: everything else goes (today's behaviour; STOP is handled by {@link SendDecision}).</li>
 *   <li>Opt-in site without a recorded yes: the opt-in template goes; free-form replies go (they answer a message
 *       the patient sent, inside Meta's 24-hour window); every other template is held until consent or its cutoff,
 *       and the first held one asks for the opt-in template.</li>
 * </ul>
 */
public final class ConsentGate {

    private ConsentGate() {
    }

    /** The answer: one type per outcome the dispatcher must tell apart. */
    public sealed interface Verdict {
    }

    /** Consent allows it: go on sending. */
    public record Allowed() implements Verdict {
    }

    /** Not yet: wait for consent (the opt-in template is asked for once); not a final skip. */
    public record Held() implements Verdict {
    }

    /** Never: skip the message with this reason. */
    public record Refused(SkipReason reason) implements Verdict {
    }

    private static final Verdict ALLOWED = new Allowed();
    private static final Verdict HELD = new Held();

    public static Verdict decide(ConsentMode mode, PatientConsent consent, MessageKind kind) {
        if (kind == MessageKind.SERVICE_TEXT) {
            return ALLOWED;
        }
        if (consent.doNotMessage()) {
            return new Refused(SkipReason.DO_NOT_MESSAGE);
        }
        if (consent.declined()) {
            return new Refused(SkipReason.CONSENT_DECLINED);
        }
        if (mode == ConsentMode.OPT_OUT || consent.granted() || kind == MessageKind.OPT_IN || !kind.isTemplate()) {
            return ALLOWED;
        }
        return HELD;
    }
}
