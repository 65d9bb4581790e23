package org.careline.ingest.hl7;

import ca.uhn.hl7v2.model.Message;

/** A received message after decoding and parsing: the HAPI model plus its header as the sender wrote it. */
public record ReceivedHl7(MshHeader header, Message message) {

    public String messageType() {
        return header.messageType();
    }

    public String triggerEvent() {
        return header.triggerEvent();
    }
}
