package org.careline.alerts.rules;

import org.careline.model.AlertRaise;
import org.careline.store.AlertLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The alert log each rule raises through: the engine's (routed by notifications.yaml) unless the rule names its own
 * channels in alerts.yaml, in which case an alert log routed to those alone. Either way the deliveries are queued
 * in the raising transaction.
 */
public final class RuleAlerts {

    private final AlertLog routed;
    private final Map<String, AlertLog> byKind;

    /** @param byKind the alert logs of the rules (by kind) that name their own channels */
    public RuleAlerts(AlertLog routed, Map<String, AlertLog> byKind) {
        this.routed = routed;
        this.byKind = Map.copyOf(byKind);
    }

    Set<String> openSubjects(Connection c, String kind) throws SQLException {
        return routed.openSubjects(c, kind);
    }

    void raise(Connection c, String kind, AlertRaise a, Instant now) throws SQLException {
        byKind.getOrDefault(kind, routed).raise(c, a, now);
    }

    void clear(Connection c, String kind, String subject, Instant now) throws SQLException {
        routed.clear(c, kind, subject, now);
    }
}
