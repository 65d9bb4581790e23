package org.careline.model;

/**
 * The queues whose items can end as dead letters, by the key that names them in a dead letter's id
 * ("outbox-12"): outbox (DEAD), writeback (REJECTED, FAILED), webhook (processed with an error) and alert
 * (alert_delivery DEAD). fhir_work has none: a re-read is retried until it is done.
 */
public enum DeadLetterQueue {
    OUTBOX("outbox"), WRITEBACK("writeback"), WEBHOOK("webhook"), ALERT("alert");

    private final String key;

    DeadLetterQueue(String key) {
        this.key = key;
    }

    /** The name in ids, JSON and dead_letter_action.queue. */
    public String key() {
        return key;
    }

    /** The queue named {@code key}; null when none is. */
    public static DeadLetterQueue fromKey(String key) {
        for (DeadLetterQueue q : values()) {
            if (q.key.equals(key)) {
                return q;
            }
        }
        return null;
    }
}
