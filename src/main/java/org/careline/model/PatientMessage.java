package org.careline.model;

import java.time.Instant;

/**
 * A message a patient sent, as recorded in inbound_reply, for a Communication. PHI: never logged.
 *
 * @param text       what they wrote (a text's body, a pressed button's title), as stored; may be null
 * @param sentAt     when WhatsApp says they sent it, or null
 * @param receivedAt when Careline recorded it
 */
public record PatientMessage(String text, Instant sentAt, Instant receivedAt) {
}
