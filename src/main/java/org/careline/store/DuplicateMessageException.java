package org.careline.store;

/** The same sender and control id was recorded by a concurrent transaction; the caller answers as that one did. */
public class DuplicateMessageException extends RuntimeException {
    public DuplicateMessageException() {
        super("duplicate message", null, false, false);
    }
}
