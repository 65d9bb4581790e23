package org.careline.schedule;

/** What an outbox row is for; each kind maps to one template in mappings/templates.yaml. */
public enum MessageKind {
    CONFIRMATION,
    REMINDER,
    RESCHEDULED,
    CANCELLED;

    /** The key used for this kind in mappings/templates.yaml. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
