package org.careline.ingest.hl7;

import ca.uhn.hl7v2.model.Message;

/**
 * A received message after decoding and parsing: the HAPI model plus its header as the sender wrote it, the text
 * as decoded (kept with its receipt for a replay; PHI, never logged) and, for an analyst's replay, the
 * {@link Replay} (null otherwise).
 */
public record ReceivedHl7(MshHeader header, Message message, String text, Replay replay) {

    public ReceivedHl7(MshHeader header, Message message) {
        this(header, message, null, null);
    }

    public String messageType() {
        return header.messageType();
    }

    public String triggerEvent() {
        return header.triggerEvent();
    }
}
