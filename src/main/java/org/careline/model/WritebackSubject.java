package org.careline.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The appointment a request is about, as the scheduling system knows it: its ids, the HL7 version and sender of its
 * feed, the patient's identifier. PHI: never logged.
 *
 * @param source the feed's sender as stored with the appointment: MSH-3.1 "|" MSH-4.1
 */
public record WritebackSubject(String source, String feedVersion, String appointmentId, String placerId,
                               String fillerId, String patientId, String patientIdAuthority, String givenName,
                               String familyName, Instant start, Integer durationMinutes, String serviceCode,
                               String serviceName) {

    static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);

    /** The value a mapping field names (see WritebackMapping.VALUES); null when the appointment has none. */
    public String value(String name) {
        return switch (name) {
            case "placerId" -> placerId;
            case "fillerId" -> fillerId;
            case "appointmentId" -> appointmentId;
            case "patientId" -> patientId;
            case "patientIdAuthority" -> patientIdAuthority;
            case "givenName" -> givenName;
            case "familyName" -> familyName;
            case "start" -> start == null ? null : HL7_TIME.format(start);
            case "duration" -> durationMinutes == null ? null : String.valueOf(durationMinutes);
            case "serviceCode" -> serviceCode;
            case "serviceName" -> serviceName;
            default -> throw new IllegalArgumentException("unknown value name " + name);
        };
    }

    /** The feed's sending application (MSH-3.1 of its SIU), or null. */
    public String feedApplication() {
        return part(0);
    }

    /** The feed's sending facility (MSH-4.1 of its SIU), or null. */
    public String feedFacility() {
        return part(1);
    }

    private String part(int i) {
        if (source == null) {
            return null;
        }
        String[] parts = source.split("\\|", -1);
        return i < parts.length && !parts[i].isEmpty() ? parts[i] : null;
    }
}
