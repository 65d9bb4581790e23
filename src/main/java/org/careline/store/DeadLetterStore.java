package org.careline.store;

import org.careline.model.DeadLetterQueue;
import org.careline.model.OutboxStatus;
import org.careline.model.WritebackStatus;
import org.careline.store.WorkQueue.Assignment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dead letters of every queue that has them, read as one list, and a person's retry or discard of one. Each
 * queue keeps its own table and statuses; retry and discard go through that table's {@link WorkQueue}, and each is
 * written down in dead_letter_action with who, when and the reason the item had. Reasons are error codes and texts
 * from the far side (Meta, the scheduling system, a channel) or our own, never message content.
 */
public final class DeadLetterStore {

    /** Only for message_event lines, which carry no sealed column. */
    private static final Outbox EVENTS = new Outbox(org.careline.store.crypto.FieldCipher.off());


    /** alert_delivery as a work queue (V5): PENDING, SENDING under a lease, SENT, DEAD; DISCARDED by a person. */
    static final String ALERT_DEAD = "DEAD";
    static final String ALERT_DISCARDED = "DISCARDED";
    static final WorkQueue ALERT_QUEUE = AlertDeliveries.QUEUE;

    private static final List<String> OUTBOX_DEAD = List.of(OutboxStatus.DEAD.dbValue());
    private static final List<String> WRITEBACK_DEAD =
            List.of(WritebackStatus.REJECTED.dbValue(), WritebackStatus.FAILED.dbValue());

    /**
     * One dead letter.
     *
     * @param site         the site it belongs to (its appointment's, its notice's, its alert's), or null
     * @param kind         what it was: the message's label, the write-back's action, "webhook", or the alert
     *                     channel and the alert's kind
     * @param status       its status in its own table (DEAD, REJECTED, FAILED; PROCESSED for a webhook)
     * @param notRetryable why a retry cannot help, or null when it can
     */
    public record Row(DeadLetterQueue queue, long rowId, String site, String kind, String status, String reason,
                      int attempts, Instant at, String notRetryable) {
    }

    /**
     * The newest {@code limit} dead letters across the queues, newest first. {@code sites} null: all of them;
     * otherwise only those of these sites (a dead letter with no site is then not shown).
     */
    public List<Row> list(Connection c, Set<String> sites, int limit) throws SQLException {
        List<Row> all = new ArrayList<>();
        for (DeadLetterQueue q : DeadLetterQueue.values()) {
            all.addAll(query(c, q, null, sites, limit));
        }
        all.sort(Comparator.comparing(Row::at, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Row::rowId, Comparator.reverseOrder()));
        return all.size() > limit ? new ArrayList<>(all.subList(0, Math.max(0, limit))) : all;
    }

    /** Row {@code id} of {@code queue}, if it is a dead letter now (not retried, discarded or done). */
    public Optional<Row> find(Connection c, DeadLetterQueue queue, long id) throws SQLException {
        List<Row> rows = query(c, queue, id, null, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Whether row {@code id} of {@code queue}'s table exists at all, dead letter or not. */
    public boolean exists(Connection c, DeadLetterQueue queue, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table(queue) + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Puts a dead letter back in its queue: waiting, due now, attempts from 0. A write-back gets a new control id
     * when it is claimed (the old one was answered, and a resend of it would be answered from the far side's
     * memory). False when it is no longer a dead letter.
     */
    public boolean requeue(Connection c, DeadLetterQueue queue, long id, String user, Instant now)
            throws SQLException {
        Optional<Row> row = find(c, queue, id);
        if (row.isEmpty()) {
            return false;
        }
        boolean done = switch (queue) {
            case OUTBOX -> Outbox.QUEUE.requeue(c, id, now, OUTBOX_DEAD);
            case WRITEBACK -> WritebackRequests.QUEUE.requeue(c, id, now, WRITEBACK_DEAD,
                    Assignment.toNull("control_id"), Assignment.toNull("ack_code"), Assignment.toNull("ack_text"));
            case WEBHOOK -> WebhookDeliveries.QUEUE.requeue(c, id, now, List.of());
            case ALERT -> ALERT_QUEUE.requeue(c, id, now, List.of(ALERT_DEAD));
        };
        if (done) {
            record(c, queue, id, "RETRIED", user, row.get().reason(), now);
            if (queue == DeadLetterQueue.OUTBOX) {
                EVENTS.logEvent(c, id, "requeued", "by " + user, now);
            }
        }
        return done;
    }

    /** Gives a dead letter up for good, keeping the row and its reason. False when it is no longer a dead letter. */
    public boolean discard(Connection c, DeadLetterQueue queue, long id, String user, Instant now)
            throws SQLException {
        Optional<Row> row = find(c, queue, id);
        if (row.isEmpty()) {
            return false;
        }
        boolean done = switch (queue) {
            case OUTBOX -> Outbox.QUEUE.discard(c, id, OutboxStatus.DISCARDED.dbValue(), now, OUTBOX_DEAD);
            case WRITEBACK -> WritebackRequests.QUEUE.discard(c, id, WritebackStatus.DISCARDED.dbValue(), now,
                    WRITEBACK_DEAD);
            case WEBHOOK -> WebhookDeliveries.QUEUE.discard(c, id, null, now, List.of(),
                    Assignment.time("discarded_at", now));
            case ALERT -> ALERT_QUEUE.discard(c, id, ALERT_DISCARDED, now, List.of(ALERT_DEAD));
        };
        if (done) {
            record(c, queue, id, "DISCARDED", user, row.get().reason(), now);
            if (queue == DeadLetterQueue.OUTBOX) {
                EVENTS.logEvent(c, id, "discarded", "by " + user, now);
            }
        }
        return done;
    }

    private static void record(Connection c, DeadLetterQueue queue, long id, String action, String user,
                               String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letter_action (queue, row_id, action, "
                + "actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, queue.key());
            ps.setLong(2, id);
            ps.setString(3, action);
            ps.setString(4, Sql.cap(user, 100));
            ps.setString(5, Sql.cap(reason, 600));
            Sql.setInstant(ps, 6, now);
            ps.executeUpdate();
        }
    }

    private static String table(DeadLetterQueue queue) {
        return switch (queue) {
            case OUTBOX -> "outbox";
            case WRITEBACK -> "writeback_request";
            case WEBHOOK -> "webhook_delivery";
            case ALERT -> "alert_delivery";
        };
    }

    /**
     * The dead letters of one queue, newest first: row {@code id} only, or all; of {@code sites} only (null: any).
     * Each SELECT gives id, site, kind, status, reason parts, attempts and the time in the same order.
     */
    private static List<Row> query(Connection c, DeadLetterQueue queue, Long id, Set<String> sites, int limit)
            throws SQLException {
        if (sites != null && sites.isEmpty()) {
            return List.of();
        }
        String site = null;
        String at = null;
        String sql = switch (queue) {
            case OUTBOX -> {
                site = "COALESCE(a.site_code, n.site_code)";
                at = "o.updated_at";
                yield "SELECT o.id, " + site + " AS site, o.label AS kind, o.status, "
                        + "CAST(o.error_code AS VARCHAR(20)) AS code, o.error_reason AS text, o.attempts, " + at
                        + " AS at FROM outbox o LEFT JOIN appointment a ON a.id = o.appointment_id "
                        + "LEFT JOIN result_notice n ON n.id = o.result_notice_id WHERE o.status IN "
                        + in(OUTBOX_DEAD) + (id == null ? "" : " AND o.id = ?");
            }
            case WRITEBACK -> {
                site = "a.site_code";
                at = "w.updated_at";
                // An MLLP rejection has its ACK code and text; a FHIR refusal or a message that could not be built
                // has its reason in last_error.
                yield "SELECT w.id, " + site + " AS site, w.action AS kind, w.status, w.ack_code AS code, "
                        + "COALESCE(w.ack_text, w.last_error) AS text, w.attempts, " + at + " AS at "
                        + "FROM writeback_request w JOIN appointment a ON a.id = w.appointment_id "
                        + "WHERE w.status IN " + in(WRITEBACK_DEAD) + (id == null ? "" : " AND w.id = ?");
            }
            case WEBHOOK -> {
                if (sites != null) {
                    yield null; // a webhook belongs to no site
                }
                site = "NULL";
                at = "d.processed_at";
                yield "SELECT d.id, CAST(NULL AS VARCHAR(100)) AS site, 'webhook' AS kind, 'PROCESSED' AS status, "
                        + "CAST(NULL AS VARCHAR(20)) AS code, d.error AS text, d.attempts, " + at + " AS at "
                        + "FROM webhook_delivery d WHERE d.processed_at IS NOT NULL AND d.error IS NOT NULL "
                        + "AND d.discarded_at IS NULL" + (id == null ? "" : " AND d.id = ?");
            }
            case ALERT -> {
                site = "al.site_code";
                at = "ad.updated_at";
                yield "SELECT ad.id, " + site + " AS site, ad.channel || ' (' || al.kind || ')' AS kind, ad.status, "
                        + "CAST(NULL AS VARCHAR(20)) AS code, ad.last_error AS text, ad.attempts, " + at + " AS at "
                        + "FROM alert_delivery ad JOIN alert al ON al.id = ad.alert_id WHERE ad.status = '"
                        + ALERT_DEAD + "'" + (id == null ? "" : " AND ad.id = ?");
            }
        };
        if (sql == null) {
            return List.of();
        }
        List<String> siteList = sites == null ? List.of() : List.copyOf(sites);
        if (sites != null) {
            sql += " AND " + site + " IN (" + String.join(", ", siteList.stream().map(s -> "?").toList()) + ")";
        }
        sql += " ORDER BY " + at + " DESC, 1 DESC FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (id != null) {
                ps.setLong(i++, id);
            }
            for (String s : siteList) {
                ps.setString(i++, s);
            }
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String code = rs.getString("code");
                    String text = rs.getString("text");
                    String reason = code == null ? text : text == null ? code : code + ": " + text;
                    int attempts = rs.getInt("attempts");
                    // Refused when it arrived (not UTF-8, a NUL): processing it again cannot succeed.
                    String notRetryable = queue == DeadLetterQueue.WEBHOOK && attempts == 0
                            ? "refused when it arrived; processing it again cannot succeed" : null;
                    out.add(new Row(queue, rs.getLong(1), rs.getString("site"), rs.getString("kind"),
                            rs.getString("status"), reason, attempts, Sql.getInstant(rs, "at"), notRetryable));
                }
            }
            return out;
        }
    }

    private static String in(List<String> statuses) {
        return "(" + String.join(", ", statuses.stream().map(s -> "'" + s + "'").toList()) + ")";
    }
}
