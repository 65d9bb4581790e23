package org.careline.ingest.hl7;

import org.careline.model.ConsentSignal;
import org.careline.model.ConsentValue;

import java.util.Locale;

/** Reads HL7's consent codes into a {@link ConsentSignal}. Pure. */
final class Hl7Consent {

    private Hl7Consent() {
    }

    /**
     * @param protection    PD1-12 (HL7 table 0136): Y never message, N cleared; anything else says nothing
     * @param consentStatus CON-11 (HL7 table 0498): A active → granted, R refused, X rescinded → withdrawn; B
     *                      (bypassed), L (limited), P (pending) and anything else say nothing
     */
    static ConsentSignal signal(String protection, String consentStatus) {
        Boolean p = switch (code(protection)) {
            case "Y" -> Boolean.TRUE;
            case "N" -> Boolean.FALSE;
            default -> null;
        };
        ConsentValue c = switch (code(consentStatus)) {
            case "A" -> ConsentValue.GRANTED;
            case "R" -> ConsentValue.REFUSED;
            case "X" -> ConsentValue.WITHDRAWN;
            default -> null;
        };
        return new ConsentSignal(p, c);
    }

    private static String code(String value) {
        return value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    }
}
