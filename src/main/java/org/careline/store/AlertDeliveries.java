package org.careline.store;

import org.careline.model.AlertSeverity;
import org.careline.store.WorkQueue.Assignment;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row per alert and notification channel (alert_delivery): queued when the alert is raised
 * ({@link AlertLog#raise}), claimed by the alert deliverer under a lease, then SENT, retried while the channel is
 * down, or DEAD with the reason. UNIQUE(alert_id, channel): an alert goes to a channel once.
 */
public final class AlertDeliveries {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String DEAD = "DEAD";

    /** alert_delivery as a work queue; ORDER BY status, due_at, id follows ix_alert_delivery_status_due. */
    /** The one description of the queue; DeadLetterStore requeues and discards through it too. */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withStatus("alert_delivery", "status", PENDING,
            SENDING, "due_at", "attempts", "claimed_by", "claimed_until", "last_error", 600, "status, due_at, id"));

    /** A claimed delivery with its alert: everything a channel sends (ids only, never PHI). */
    public record Due(long id, long alertId, String channel, int attempts, Instant createdAt, String kind,
                      AlertSeverity severity, String site, String subject, Integer code, String detail,
                      Instant raisedAt) {
    }

    /** A delivery as the console shows it. */
    public record Stored(long alertId, String channel, String status, int attempts, String lastError,
                         Instant sentAt) {
    }

    /** Queues the alert for {@code channel}, due at once. */
    public void enqueue(Connection c, long alertId, String channel, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_delivery (alert_id, channel, status, "
                + "attempts, due_at, created_at, updated_at) VALUES (?, ?, '" + PENDING + "', 0, ?, ?, ?)")) {
            ps.setLong(1, alertId);
            ps.setString(2, channel);
            Sql.setInstant(ps, 3, now);
            Sql.setInstant(ps, 4, now);
            Sql.setInstant(ps, 5, now);
            ps.executeUpdate();
        }
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code owner} until {@code now + lease} and commits the claims:
     * with rounds running at once (several engines, or a slow round and the next), each goes to exactly one.
     */
    public List<Long> claimDue(DataSource ds, String owner, Instant now, Duration lease, int limit)
            throws SQLException {
        return QUEUE.claimBatch(ds, owner, now, lease, limit);
    }

    public Due load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.alert_id, d.channel, d.attempts, d.created_at, "
                + "a.kind, a.severity, a.site_code, a.subject, a.code, a.detail, a.raised_at "
                + "FROM alert_delivery d JOIN alert a ON a.id = d.alert_id WHERE d.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("alert delivery " + id + " not found");
                }
                return new Due(rs.getLong("id"), rs.getLong("alert_id"), rs.getString("channel"),
                        rs.getInt("attempts"), Sql.getInstant(rs, "created_at"), rs.getString("kind"),
                        AlertSeverity.fromDb(rs.getString("severity")), rs.getString("site_code"),
                        rs.getString("subject"), Sql.getInteger(rs, "code"), rs.getString("detail"),
                        Sql.getInstant(rs, "raised_at"));
            }
        }
    }

    /** The channel took it. */
    public void sent(Connection c, long id, int attempts, Instant now) throws SQLException {
        QUEUE.finish(c, id, SENT, attempts, null, now,
                new Assignment("sent_at = ?", (ps, i) -> Sql.setInstant(ps, i, now)));
    }

    /** Given up: the channel refused it for good, or stayed down too long; {@code reason} says which. */
    public void dead(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        QUEUE.finish(c, id, DEAD, attempts, reason, now);
    }

    /** The channel is down: PENDING again, due at {@code retryAt}. */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String reason, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, retryAt, reason, now);
    }

    /** Not tried this time (its channel failed just before in the same round): back, attempts as they were. */
    public void putBack(Connection c, long id, Instant dueAt, String reason, Instant now) throws SQLException {
        QUEUE.release(c, id, dueAt, reason, now, List.of(SENDING));
    }

    /** The deliveries of each of {@code alertIds}, by alert id, channels in the order queued. */
    public Map<Long, List<Stored>> forAlerts(Connection c, List<Long> alertIds) throws SQLException {
        Map<Long, List<Stored>> out = new LinkedHashMap<>();
        if (alertIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, channel, status, attempts, last_error, sent_at "
                + "FROM alert_delivery WHERE alert_id IN ("
                + alertIds.stream().map(x -> "?").collect(Collectors.joining(", ")) + ") ORDER BY alert_id, id")) {
            int i = 1;
            for (long id : alertIds) {
                ps.setLong(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stored s = new Stored(rs.getLong("alert_id"), rs.getString("channel"), rs.getString("status"),
                            rs.getInt("attempts"), rs.getString("last_error"), Sql.getInstant(rs, "sent_at"));
                    out.computeIfAbsent(s.alertId(), k -> new ArrayList<>()).add(s);
                }
            }
        }
        return out;
    }
}
