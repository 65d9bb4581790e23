package org.careline.send;

import org.careline.model.AppointmentStatus;
import org.careline.model.DueMessage;
import org.careline.model.MessageContext;
import org.careline.model.MessageKind;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a claimed message may still go out, decided from the data loaded at send time: send, or skip with a
 * reason. Pure: no clock, no database.
 *
 * @param skip              why it must not go out, or null to send it
 * @param appointmentStatus the appointment's status, which completes an APPOINTMENT_NOT_BOOKED reason
 */
public record SendDecision(SkipReason skip, AppointmentStatus appointmentStatus) {

    /** Meta's customer-service window: free-form messages only this long after the patient's last message. */
    static final Duration WINDOW = Duration.ofHours(24);

    private static final SendDecision SEND = new SendDecision(null, null);

    public static SendDecision of(DueMessage m, Instant now) {
        if (m.phone() == null) {
            return skip(SkipReason.NO_MOBILE);
        }
        if (m.optedOut() && m.kind() != MessageKind.SERVICE_TEXT) {
            return skip(SkipReason.OPTED_OUT);
        }
        if (m.context() instanceof MessageContext.Reply) {
            // Meta allows free-form messages only within 24 hours of the patient's last message.
            boolean windowOpen = m.lastInboundAt() != null && now.isBefore(m.lastInboundAt().plus(WINDOW));
            return windowOpen ? SEND : skip(SkipReason.WINDOW_CLOSED);
        }
        if (m.context() instanceof MessageContext.Notice n) {
            // A result/document notice: no appointment rules; a link that would no longer verify is not sent.
            return n.portalExpiresAt() != null && !now.isBefore(n.portalExpiresAt())
                    ? skip(SkipReason.PORTAL_LINK_EXPIRED) : SEND;
        }
        MessageContext.Appointment a = (MessageContext.Appointment) m.context();
        // A follow-up is about the patient's conversation with staff, not the appointment: it goes whatever became
        // of the appointment since.
        if (m.kind() == MessageKind.CANCELLED || m.kind() == MessageKind.FOLLOW_UP || a.appointmentId() == null) {
            return SEND;
        }
        // A message claimed (or retried) while the appointment was cancelled must not go out after all.
        if (a.status() != AppointmentStatus.BOOKED) {
            return new SendDecision(SkipReason.APPOINTMENT_NOT_BOOKED, a.status());
        }
        if (a.start() != null && !a.start().isAfter(now)) {
            return skip(SkipReason.APPOINTMENT_STARTED);
        }
        return SEND;
    }

    private static SendDecision skip(SkipReason reason) {
        return new SendDecision(reason, null);
    }

    public boolean sends() {
        return skip == null;
    }

    /** The text stored and logged for a skip, or null when the message goes out. */
    public String reasonText() {
        return skip == null ? null : skip.text(appointmentStatus);
    }
}
