package org.careline.model;

/**
 * One change of a patient's consent, as the history (consent_event) keeps it. GRANTED, REFUSED and WITHDRAWN are the
 * patient's consent itself; PROTECTED and UNPROTECTED are the feed's protection indicator (HL7 PD1-12) being set and
 * cleared, which forbids messages whatever the consent. The database stores {@link #dbValue()}.
 */
public enum ConsentValue {
    GRANTED, REFUSED, WITHDRAWN, PROTECTED, UNPROTECTED;

    public String dbValue() {
        return name();
    }

    public static ConsentValue fromDb(String value) {
        return value == null ? null : valueOf(value);
    }

    /** True for the values that are the patient's consent (not the protection indicator). */
    public boolean isConsent() {
        return this == GRANTED || this == REFUSED || this == WITHDRAWN;
    }
}
