package org.careline.model;

/**
 * What a feed says about a patient's consent, read where the patient is read (HL7 PD1-12 and CON, a FHIR Consent).
 * Holds no PHI: ids and codes only.
 *
 * @param protection the protection indicator: TRUE never message (PD1-12 Y), FALSE cleared (N), null not sent
 * @param consent    GRANTED, REFUSED or WITHDRAWN, or null when the feed said nothing about consent
 */
public record ConsentSignal(Boolean protection, ConsentValue consent) {

    public static final ConsentSignal NONE = new ConsentSignal(null, null);

    public boolean saysAnything() {
        return protection != null || consent != null;
    }
}
