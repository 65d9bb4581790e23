package org.careline.model;

/**
 * The queues whose oldest waiting item the queue_age alert rule watches (mappings/alerts.yaml), by the key that
 * names them there: the outbox, write-back requests, Meta's webhook deliveries, alert deliveries, FHIR re-reads and
 * the staff's triage items.
 */
public enum WatchedQueue {
    OUTBOX("outbox"), WRITEBACK("writeback"), WEBHOOK("webhook"), ALERT("alert"), FHIR("fhir"), TRIAGE("triage");

    private final String key;

    WatchedQueue(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The queue named {@code key}; null when none is. */
    public static WatchedQueue fromKey(String key) {
        for (WatchedQueue q : values()) {
            if (q.key.equals(key)) {
                return q;
            }
        }
        return null;
    }
}
