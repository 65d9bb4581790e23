package org.careline.model;

import java.time.Instant;
import java.util.List;

/**
 * One appointment event, normalised from whichever feed carried it. Holds PHI: never log it, log ids instead.
 *
 * @param source        the sending system (namespace of externalId and patientId)
 * @param externalId    the appointment's id in the sending system
 * @param eventCode     the feed's own code for the event (S12, ...), kept in the history
 * @param action        what the event does
 * @param start         appointment start
 * @param durationMinutes length, or null
 * @param patientKey    the patient's id, qualified by source and assigning authority
 * @param givenName     patient's given name, or null
 * @param familyName    patient's family name, or null
 * @param phoneE164     the mobile number chosen, or null when the patient cannot be reached
 * @param language      the patient's language as the feed gives it, or null
 * @param provider      display name of the provider, or null
 * @param location      display name of the location, or null
 * @param siteCode      the site (mappings/sites.yaml) the appointment belongs to
 * @param serviceCode   service / procedure code, or null
 * @param serviceName   service / procedure name, or null
 * @param instructions  visit instructions, or null
 * @param feed          the feed's own identifiers and version, needed to write back to the scheduling system
 */
public record AppointmentEvent(String source, String externalId, String eventCode, AppointmentAction action,
                               Instant start, Integer durationMinutes, String patientKey, String givenName,
                               String familyName, String phoneE164, String language, String provider,
                               String location, String siteCode, String serviceCode, String serviceName,
                               String instructions, FeedReference feed) {

    /**
     * How the scheduling system knows this appointment and patient, and which HL7 version it speaks.
     *
     * @param placerId         placer appointment id (SCH-1), or null
     * @param fillerId         filler appointment id (SCH-2), or null
     * @param patientId        patient identifier (PID-3.1)
     * @param patientAuthority its assigning authority (PID-3.4), or null
     * @param version          the feed's HL7 version (MSH-12), or null for non-HL7 feeds
     */
    public record FeedReference(String placerId, String fillerId, String patientId, String patientAuthority,
                                String version) {
    }
}
