package org.careline.send;

import org.careline.model.AppointmentStatus;
import java.util.Locale;

/**
 * Why a claimed message must not go out after all. Each reason renders exactly the text stored in the outbox row's
 * error_reason and message_event and written to the log, so the database and the logs keep their wording.
 */
public enum SkipReason {
    NO_MOBILE("patient unreachable: no mobile number"),
    OPTED_OUT("patient opted out"),
    WINDOW_CLOSED("outside the 24-hour customer-service window"),
    PORTAL_LINK_EXPIRED("portal link expired"),
    /** Followed by the appointment's status in lower case: "appointment cancelled", "appointment no_show". */
    APPOINTMENT_NOT_BOOKED("appointment "),
    APPOINTMENT_STARTED("appointment already started"),
    /** The feed's protection indicator (HL7 PD1-12 = Y): this patient is never messaged. */
    DO_NOT_MESSAGE("patient protected: never message"),
    /** The patient refused consent or withdrew it. */
    CONSENT_DECLINED("no consent: refused or withdrawn");

    private final String text;

    SkipReason(String text) {
        this.text = text;
    }

    /** The stored text; {@code appointmentStatus} completes APPOINTMENT_NOT_BOOKED and is ignored otherwise. */
    public String text(AppointmentStatus appointmentStatus) {
        return this == APPOINTMENT_NOT_BOOKED ? text + appointmentStatus.dbValue().toLowerCase(Locale.ROOT) : text;
    }
}
