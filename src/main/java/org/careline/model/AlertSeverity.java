package org.careline.model;

import java.util.Locale;

/**
 * How loud an alert is; notification channels (mappings/notifications.yaml) subscribe per site and severity.
 * alert.severity keeps the lower-case name.
 */
public enum AlertSeverity {
    /** Someone must act now: an emergency, an emergency nobody claimed, sending paused. */
    CRITICAL,
    /** Someone must act today: an SLA breach, a dead letter, the scheduling system unreachable, a feed silent. */
    WARNING,
    /** Worth knowing; nobody is woken. */
    INFO;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity a stored or configured value names; null for anything else. */
    public static AlertSeverity fromDb(String value) {
        for (AlertSeverity s : values()) {
            if (s.dbValue().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
