package org.careline.store;

import org.careline.model.FhirWorkStatus;
import org.careline.model.HandoffStatus;
import org.careline.model.OutboxStatus;
import org.careline.model.WatchedQueue;
import org.careline.model.WritebackStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the alert rules of mappings/alerts.yaml measure, one small query each, every one a range scan of an index
 * (V17 added those that were missing), never a pass over a whole table. Counts only: no text, no phone numbers.
 * Maps keyed by site may have a null key: what belongs to no site.
 */
public final class RuleMeasures {

    /** Send attempts in a window: those the Cloud API (or a failed status) turned down, of all. */
    public record SendCounts(long attempted, long failed) {
    }

    /**
     * The send outcomes recorded since {@code since}, by the site of the message's appointment or notice: each
     * attempt ends as one message_event — {@code sent}, or {@code retry} / {@code dead} when it failed.
     */
    public Map<String, SendCounts> sendOutcomes(Connection c, Instant since) throws SQLException {
        Map<String, long[]> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(a.site_code, n.site_code) AS site, e.event, "
                + "COUNT(*) FROM message_event e JOIN outbox o ON o.id = e.outbox_id "
                + "LEFT JOIN appointment a ON a.id = o.appointment_id "
                + "LEFT JOIN result_notice n ON n.id = o.result_notice_id "
                + "WHERE e.recorded_at >= ? AND e.event IN ('sent', 'retry', 'dead') "
                + "GROUP BY COALESCE(a.site_code, n.site_code), e.event")) {
            Sql.setInstant(ps, 1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] c2 = counts.computeIfAbsent(rs.getString(1), k -> new long[2]);
                    c2[0] += rs.getLong(3);
                    if (!"sent".equals(rs.getString(2))) {
                        c2[1] += rs.getLong(3);
                    }
                }
            }
        }
        Map<String, SendCounts> out = new HashMap<>();
        counts.forEach((site, n) -> out.put(site, new SendCounts(n[0], n[1])));
        return out;
    }

    /** Messages the Cloud API accepted since {@code since}, all sites. */
    public long sentSince(Connection c, Instant since) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM message_event WHERE recorded_at >= ? AND event = 'sent'", since);
    }

    /** When the newest webhook delivery from Meta was received; empty when none ever was. */
    public Optional<Instant> lastWebhookReceived(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(received_at) AS at FROM webhook_delivery");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(Sql.getInstant(rs, "at")) : Optional.empty();
        }
    }

    /**
     * Since when the oldest item of {@code queue} has been waiting: for the work queues the due time of the oldest
     * item due by {@code now} (its (status, due_at) index), for Meta's webhooks the arrival of the oldest one not yet
     * worked off, for triage the arrival of the oldest item nobody has claimed. Empty when nothing waits.
     */
    public Optional<Instant> oldestWaiting(Connection c, WatchedQueue queue, Instant now) throws SQLException {
        String sql = switch (queue) {
            case OUTBOX -> due("outbox", OutboxStatus.PENDING.dbValue());
            case WRITEBACK -> due("writeback_request", WritebackStatus.PENDING.dbValue());
            case FHIR -> due("fhir_work", FhirWorkStatus.PENDING.dbValue());
            case ALERT -> due("alert_delivery", AlertDeliveries.PENDING);
            case WEBHOOK -> "SELECT received_at AS at FROM webhook_delivery WHERE processed_at IS NULL "
                    + "AND discarded_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                    + "ORDER BY id FETCH FIRST 1 ROWS ONLY";
            case TRIAGE -> "SELECT MIN(created_at) AS at FROM staff_handoff WHERE status = '"
                    + HandoffStatus.OPEN.name() + "' AND created_at <= ?";
        };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(Sql.getInstant(rs, "at")) : Optional.empty();
            }
        }
    }

    private static String due(String table, String waiting) {
        return "SELECT MIN(due_at) AS at FROM " + table + " WHERE status = '" + waiting + "' AND due_at <= ?";
    }

    /**
     * The newest SIU received since {@code since}, by the site of the appointments it was about (through
     * appointment_event.inbound_id). Only SIU: results and documents are other feeds.
     */
    public Map<String, Instant> lastSiuBySite(Connection c, Instant since) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.site_code, MAX(m.received_at) AS at "
                + "FROM inbound_message m JOIN appointment_event e ON e.inbound_id = m.id "
                + "JOIN appointment a ON a.id = e.appointment_id "
                + "WHERE m.received_at >= ? AND m.message_type LIKE 'SIU%' AND a.site_code IS NOT NULL "
                + "GROUP BY a.site_code")) {
            Sql.setInstant(ps, 1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Sql.getInstant(rs, "at"));
                }
            }
        }
        return out;
    }

    /** Patients' messages classified as {@code intent} in (from, to], by the site of their appointment. */
    public Map<String, Long> intentCounts(Connection c, String intent, Instant from, Instant to) throws SQLException {
        return bySite(c, "SELECT a.site_code, COUNT(*) FROM inbound_reply r "
                + "LEFT JOIN appointment a ON a.id = r.appointment_id "
                + "WHERE r.recorded_at > ? AND r.recorded_at <= ? AND r.intent = ? GROUP BY a.site_code", from, to,
                List.of(intent));
    }

    /** Triage items opened in {@code queue} in (from, to], by site. */
    public Map<String, Long> queueCounts(Connection c, String queue, Instant from, Instant to) throws SQLException {
        return bySite(c, "SELECT site_code, COUNT(*) FROM staff_handoff WHERE created_at > ? AND created_at <= ? "
                + "AND queue = ? GROUP BY site_code", from, to, List.of(queue));
    }

    /** Patients' messages that matched the words watch {@code watch} in (from, to], by site. */
    public Map<String, Long> wordCounts(Connection c, String watch, Instant from, Instant to) throws SQLException {
        return bySite(c, "SELECT site_code, COUNT(*) FROM reply_word_match WHERE matched_at > ? "
                + "AND matched_at <= ? AND watch = ? GROUP BY site_code", from, to, List.of(watch));
    }

    /** One patient message matched a words watch: counted now, at classification; no text is kept. */
    public void recordWordMatch(Connection c, String watch, String site, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO reply_word_match (matched_at, site_code, watch) VALUES (?, ?, ?)")) {
            Sql.setInstant(ps, 1, at);
            ps.setString(2, site);
            ps.setString(3, Sql.cap(watch, 50));
            ps.executeUpdate();
        }
    }

    /** The site of the appointment a stored patient message is about, or null. */
    public String siteOfReply(Connection c, long inboundReplyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.site_code FROM inbound_reply r "
                + "JOIN appointment a ON a.id = r.appointment_id WHERE r.id = ?")) {
            ps.setLong(1, inboundReplyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Dead letters made since {@code since}, all queues (as operations' dead-letter list has them): outbox DEAD and
     * write-backs REJECTED or FAILED by their last due time, alert deliveries DEAD likewise (each through its
     * (status, due_at) index), webhooks worked off with an error by processed_at.
     */
    public long deadLettersSince(Connection c, Instant since) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM outbox WHERE status = '" + OutboxStatus.DEAD.dbValue()
                + "' AND due_at >= ?", since)
                + count(c, "SELECT COUNT(*) FROM writeback_request WHERE status IN ('"
                + WritebackStatus.REJECTED.dbValue() + "', '" + WritebackStatus.FAILED.dbValue()
                + "') AND due_at >= ?", since)
                + count(c, "SELECT COUNT(*) FROM alert_delivery WHERE status = 'DEAD' AND due_at >= ?", since)
                + count(c, "SELECT COUNT(*) FROM webhook_delivery WHERE processed_at >= ? AND error IS NOT NULL "
                + "AND discarded_at IS NULL", since);
    }

    private static long count(Connection c, String sql, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.setInstant(ps, 1, since);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Runs a "site, COUNT(*)" query whose first two parameters are (from, to] and then {@code more}. */
    private static Map<String, Long> bySite(Connection c, String sql, Instant from, Instant to,
                                            Collection<String> more) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            Sql.setInstant(ps, i++, from);
            Sql.setInstant(ps, i++, to);
            for (String m : more) {
                ps.setString(i++, m);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(rs.getString(1), rs.getLong(2), Long::sum);
                }
            }
        }
        return out;
    }
}
