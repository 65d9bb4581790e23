package org.careline.model;

/**
 * Where a write-back request stands: PENDING (waiting, maybe for a retry), SENDING (claimed), DONE,
 * REJECTED (the scheduling system said no) or FAILED (could not be built); DISCARDED when a person gave up on a
 * REJECTED or FAILED one (final; an analyst's retry puts it back to PENDING).
 * The database stores {@link #dbValue()}; code compares the enum, never the string.
 */
public enum WritebackStatus {
    PENDING, SENDING, DONE, REJECTED, FAILED, DISCARDED;

    /** The value in the database's status column. */
    public String dbValue() {
        return name();
    }

    /** The status a database value stands for; null for null (a row a LEFT JOIN did not find). */
    public static WritebackStatus fromDb(String value) {
        return value == null ? null : valueOf(value);
    }
}
