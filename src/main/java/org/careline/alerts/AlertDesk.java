package org.careline.alerts;

import org.careline.store.AlertDeliveries;
import org.careline.store.AlertLog;
import org.careline.store.Database;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Alerts as people see and acknowledge them (bound as bean {@code alertDesk} for the console's API). Who may see
 * what is decided by the caller, as the set of sites a user may see; alerts tied to no site (the engine's own
 * conditions) are shown to everyone who may see alerts.
 */
public final class AlertDesk {

    /** The most alerts one list returns. */
    public static final int MAX_LIMIT = 500;

    private final Database db;
    private final AlertLog alerts;
    private final AlertDeliveries deliveries;

    public AlertDesk(Database db, AlertLog alerts, AlertDeliveries deliveries) {
        this.db = db;
        this.alerts = alerts;
        this.deliveries = deliveries;
    }

    /**
     * The newest alerts first, with their deliveries.
     *
     * @param allowedSites the sites the user may see; null for every site
     * @param openOnly     only those nobody has acknowledged yet (cleared or not: a feed that was silent for an
     *                     hour at night is still news in the morning)
     * @param limit        1 to {@link #MAX_LIMIT}
     */
    public List<AlertView> list(Set<String> allowedSites, boolean openOnly, int limit) {
        int n = Math.max(1, Math.min(limit, MAX_LIMIT));
        return db.inTransaction(c -> {
            List<AlertLog.Stored> stored = alerts.list(c, allowedSites, openOnly, n);
            Map<Long, List<AlertDeliveries.Stored>> sent = deliveries.forAlerts(c,
                    stored.stream().map(AlertLog.Stored::id).toList());
            return stored.stream().map(a -> view(a, sent.getOrDefault(a.id(), List.of()))).toList();
        });
    }

    /** One alert, if it exists and is of a site the user may see ({@code allowedSites} null: every site). */
    public Optional<AlertView> find(long id, Set<String> allowedSites) {
        return db.inTransaction(c -> {
            Optional<AlertLog.Stored> a = alerts.find(c, id).filter(s -> visible(s, allowedSites));
            if (a.isEmpty()) {
                return Optional.<AlertView>empty();
            }
            return Optional.of(view(a.get(), deliveries.forAlerts(c, List.of(id)).getOrDefault(id, List.of())));
        });
    }

    /** Acknowledges the alert for {@code user}; of two at once, one gets Acked and the other AlreadyAcked. */
    public AlertAck ack(long id, String user, Instant now) {
        return ack(id, user, null, now);
    }

    /** As {@link #ack(long, String, Instant)}, for a user who may see only {@code allowedSites} (null: all). */
    public AlertAck ack(long id, String user, Set<String> allowedSites, Instant now) {
        return db.inTransaction(c -> {
            Optional<AlertLog.Stored> a = alerts.find(c, id).filter(s -> visible(s, allowedSites));
            if (a.isEmpty()) {
                return new AlertAck.NotFound(id);
            }
            if (alerts.ack(c, id, user, now)) {
                return new AlertAck.Acked(id, user, now);
            }
            AlertLog.Stored before = alerts.find(c, id).orElseThrow();
            return new AlertAck.AlreadyAcked(id, before.ackedBy(), before.ackedAt());
        });
    }

    private static boolean visible(AlertLog.Stored a, Set<String> allowedSites) {
        return allowedSites == null || a.site() == null || allowedSites.contains(a.site());
    }

    private static AlertView view(AlertLog.Stored a, List<AlertDeliveries.Stored> sent) {
        return new AlertView(a.id(), a.kind(), a.severity() == null ? null : a.severity().dbValue(), a.site(),
                a.subject(), a.code(), a.detail(), a.raisedAt(), a.clearedAt(), a.ackedBy(), a.ackedAt(),
                sent.stream().map(d -> new AlertView.Delivery(d.channel(), d.status(), d.attempts(), d.lastError(),
                        d.sentAt())).toList());
    }
}
