package org.careline.model;

import org.careline.model.Site;

/** How a request reaches the scheduling system: an HL7 message over MLLP, or resources on the FHIR server. */
public enum WritebackChannel {
    HL7, FHIR;

    /** Appointment source of appointments fed from the FHIR server (their external id is the Appointment's id). */
    public static final String FHIR_SOURCE = "FHIR";

    /**
     * The channel of one request (pure): a recorded message only exists in FHIR; an answer goes where the site says,
     * else back the way the appointment came in.
     */
    public static WritebackChannel of(WritebackAction action, Site.Scheduling siteChoice, String appointmentSource) {
        if (action == WritebackAction.RECORD_MESSAGE) {
            return FHIR;
        }
        if (siteChoice != null) {
            return siteChoice == Site.Scheduling.FHIR ? FHIR : HL7;
        }
        return FHIR_SOURCE.equals(appointmentSource) ? FHIR : HL7;
    }
}
