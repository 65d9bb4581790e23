package org.careline.model;

import java.util.Locale;

/**
 * What Meta's status webhooks say of a sent message, as outbox.delivery_status keeps it (in lower case, as Meta
 * writes it). Code compares the enum, never the string.
 */
public enum DeliveryStatus {
    SENT(1), DELIVERED(2), READ(3),
    /** Terminal: replaces any status, and is not replaced. */
    FAILED(0);

    /** How far the message got: sent 1 &lt; delivered 2 &lt; read 3; failed 0 (not a step forward). */
    private final int rank;

    DeliveryStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** The value in the database (and in Meta's webhooks). */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a value stands for; null for null or a status Careline does not know (anything newer Meta sends). */
    public static DeliveryStatus fromDb(String value) {
        for (DeliveryStatus s : values()) {
            if (s.dbValue().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
