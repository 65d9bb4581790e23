package org.careline.model;

import java.time.Instant;

/** What one kind of outbox message carries beyond the common part of {@link DueMessage}. Holds PHI: never log it. */
public sealed interface MessageContext {

    /** The appointment the message is about, or null (a notice, a reply tied to none). */
    Long appointmentId();

    /**
     * An appointment template (confirmation, reminder, rescheduled, cancelled), rendered from the appointment's
     * current data.
     *
     * @param appointmentId the appointment, or null when the row names none
     * @param status        the appointment's status now, or null when the row names none
     * @param givenName     the patient's given name, or null
     */
    record Appointment(Long appointmentId, AppointmentStatus status, Instant start, String provider,
                       String instructions, String givenName) implements MessageContext {
    }

    /**
     * A free-form reply: a text, or a location pin stored as JSON.
     *
     * @param appointmentId the appointment the conversation is about, or null
     */
    record Reply(Long appointmentId, String body) implements MessageContext {
    }

    /**
     * A result/document notice (a template with no appointment): a portal link that verifies until it expires.
     *
     * @param portalExpiresAt when the portal link stops verifying, or null for never
     * @param givenName       the patient's given name, or null
     */
    record Notice(long resultNoticeId, String portalReference, Instant portalExpiresAt, String givenName)
            implements MessageContext {

        @Override
        public Long appointmentId() {
            return null;
        }
    }
}
