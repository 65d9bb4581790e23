package org.careline.store;

/**
 * The message is recorded already (HL7: the same sender and control id; WhatsApp webhooks: the same wamid, or wamid
 * and status), possibly by a concurrent transaction: the caller rolls back and answers or acts as that one did.
 */
public class DuplicateMessageException extends RuntimeException {
    public DuplicateMessageException() {
        super("duplicate message", null, false, false);
    }
}
