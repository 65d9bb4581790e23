package org.careline.model;

/**
 * Where an outbox message stands: PENDING (waiting, maybe for a retry) → SENDING (claimed by one dispatcher)
 * → SENT, or DEAD (dead letter), SKIPPED (must not go out after all) or CANCELLED (withdrawn before it went out);
 * a dead letter a person gave up on is DISCARDED (final; an analyst's retry puts a DEAD one back to PENDING).
 * The database stores {@link #dbValue()}; code compares the enum, never the string.
 */
public enum OutboxStatus {
    PENDING, SENDING, SENT, DEAD, SKIPPED, CANCELLED, DISCARDED;

    /** The value in the database's status column. */
    public String dbValue() {
        return name();
    }

    /** The status a database value stands for; null for null (a row a LEFT JOIN did not find). */
    public static OutboxStatus fromDb(String value) {
        return value == null ? null : valueOf(value);
    }
}
