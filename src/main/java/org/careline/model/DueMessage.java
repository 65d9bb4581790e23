package org.careline.model;

import java.time.Instant;

/**
 * One claimed outbox message as loaded to decide, render and send it: what every kind has, and the context of its
 * kind. Holds PHI: never log it.
 *
 * @param phone         where it goes: the row's recipient, else the patient's number; null when there is none
 * @param language      the patient's language, or null
 * @param optedOut      the patient or the number opted out
 * @param lastInboundAt when this number last wrote to us (opens the 24-hour window), or null
 * @param siteCode      the appointment's or the notice's site, or null
 * @param context       what only its kind has: an appointment, a reply, or a result/document notice
 * @param consent       the patient's consent and protection indicator ({@link PatientConsent#UNKNOWN} when the
 *                      message has no patient)
 */
public record DueMessage(long id, MessageKind kind, int attempts, String phone, String language, boolean optedOut,
                         Instant lastInboundAt, String siteCode, MessageContext context, PatientConsent consent) {

    /** A message whose patient's consent is not known (nothing recorded). */
    public DueMessage(long id, MessageKind kind, int attempts, String phone, String language, boolean optedOut,
                      Instant lastInboundAt, String siteCode, MessageContext context) {
        this(id, kind, attempts, phone, language, optedOut, lastInboundAt, siteCode, context, PatientConsent.UNKNOWN);
    }
}
