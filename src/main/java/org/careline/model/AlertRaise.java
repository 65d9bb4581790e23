package org.careline.model;

/**
 * An alert to raise: what kind of condition (emergency, sla_breach, sending_paused, dead_letter,
 * scheduling_unreachable, feed_silent, …), how loud, for which site (null: not tied to one), about what (a
 * reference such as handoff:12, never PHI), with an error code and a detail of ids only (never names, phone numbers
 * or message bodies: alerts leave the engine by e-mail and webhook).
 */
public record AlertRaise(String kind, AlertSeverity severity, String site, String subject, Integer code,
                         String detail) {

    public AlertRaise {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("an alert needs a kind");
        }
        if (severity == null) {
            throw new IllegalArgumentException("an alert needs a severity");
        }
    }
}
