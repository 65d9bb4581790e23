package org.careline.store;

/** The database could not do what was asked: a failure of ours, never the sender's. */
public class StoreException extends RuntimeException {
    public StoreException(Throwable cause) {
        super(cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
