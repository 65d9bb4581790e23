package org.careline.model;

import java.time.Instant;

/**
 * One message a patient sent, as Meta's webhook delivered it, reduced to what Careline acts on. Holds PHI (the
 * text): never log it, log the wamid instead.
 *
 * @param wamid        Meta's id of the message (the idempotency key)
 * @param fromE164     the sender's number, "+" and the digits Meta gives in {@code from}
 * @param sentAt       when the patient sent it (the payload's timestamp), or null
 * @param type         Meta's message type: text, button, interactive, location, image, document, reaction, ...
 * @param text         what the patient wrote or the title of what they pressed, or null
 * @param payload      a quick-reply button's payload or an interactive reply's id, or null
 * @param contextWamid the wamid of the message this one answers (quoted or button press), or null
 * @param latitude     for a shared location, else null
 * @param longitude    for a shared location, else null
 */
public record InboundMessage(String wamid, String fromE164, Instant sentAt, String type, String text, String payload,
                             String contextWamid, Double latitude, Double longitude) {
}
