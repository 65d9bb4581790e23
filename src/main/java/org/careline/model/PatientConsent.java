package org.careline.model;

/**
 * A patient's consent as it stands when a message is due.
 *
 * @param patientId    the patient, or null when the message has none (a reply to a number only)
 * @param consent      GRANTED, REFUSED or WITHDRAWN, or null when nothing was recorded
 * @param doNotMessage the feed's protection indicator (HL7 PD1-12 = Y): never message, whatever the site's mode
 * @param requested    the opt-in template was already queued for this patient
 */
public record PatientConsent(Long patientId, ConsentValue consent, boolean doNotMessage, boolean requested) {

    /** Nothing known: no patient, or a patient with nothing recorded. */
    public static final PatientConsent UNKNOWN = new PatientConsent(null, null, false, false);

    public boolean granted() {
        return consent == ConsentValue.GRANTED;
    }

    /** The patient said no (refused) or took their yes back (withdrawn). */
    public boolean declined() {
        return consent == ConsentValue.REFUSED || consent == ConsentValue.WITHDRAWN;
    }
}
