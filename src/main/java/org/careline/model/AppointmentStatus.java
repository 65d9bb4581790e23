package org.careline.model;

/**
 * An appointment's state as Careline keeps it: BOOKED (live: its messages go out), or CANCELLED,
 * DELETED (the feed says it no longer exists) or NO_SHOW.
 * The database stores {@link #dbValue()}; code compares the enum, never the string.
 */
public enum AppointmentStatus {
    BOOKED, CANCELLED, DELETED, NO_SHOW;

    /** The value in the database's status column. */
    public String dbValue() {
        return name();
    }

    /** The status a database value stands for; null for null (a row a LEFT JOIN did not find). */
    public static AppointmentStatus fromDb(String value) {
        return value == null ? null : valueOf(value);
    }
}
