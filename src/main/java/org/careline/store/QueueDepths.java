package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much work waits in each queue, for operators' metrics: the items due now (a backlog, not the reminders
 * planned for next month) and how long the oldest of them has been due. Every query reads one (status, due_at)
 * index range from its start, so it stays quick with millions of rows planned ahead; the count stops at
 * {@link #COUNT_CAP} so that even a huge backlog costs a bounded read.
 */
public final class QueueDepths {

    /** Counts stop here: past it the number only says "very many", and reading on would cost more each time. */
    public static final int COUNT_CAP = 100_000;

    /** The queues by the names metrics give them. */
    public static final List<String> QUEUES = List.of("outbox", "writeback", "fhir_work", "webhook",
            "alert_delivery", "triage");

    /**
     * @param due          items due now and not yet worked (at most {@link #COUNT_CAP})
     * @param oldestDueAge how long the oldest of them has been due (waiting since received, for webhooks and
     *                     triage items); null when none is due
     */
    public record Depth(long due, Duration oldestDueAge) {
    }

    /** What the FHIR side has seen: how long since an event number last moved on, and each search's lag. */
    public record FhirLag(Duration sinceLastEvent, Map<String, Duration> syncedUntilLag) {
    }

    /** Each queue of {@link #QUEUES}, in that order. */
    public Map<String, Depth> depths(Connection c, Instant now) throws SQLException {
        Map<String, Depth> out = new LinkedHashMap<>();
        out.put("outbox", byStatus(c, Outbox.QUEUE.table(), now));
        out.put("writeback", byStatus(c, WritebackRequests.QUEUE.table(), now));
        out.put("fhir_work", byStatus(c, FhirWorkQueue.QUEUE.table(), now));
        WorkTable w = WebhookDeliveries.QUEUE.table();
        out.put("webhook", depth(c, "webhook_delivery", "received_at",
                w.waitingSql("") + " AND " + w.dueSql(""), now, true));
        out.put("alert_delivery", byStatus(c, AlertDeliveries.QUEUE.table(), now));
        out.put("triage", depth(c, "staff_handoff", "created_at", "status = 'OPEN'", now, false));
        return out;
    }

    public FhirLag fhirLag(Connection c, Instant now) throws SQLException {
        Duration sinceEvent = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(updated_at) AS t FROM fhir_subscription_state");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                Instant t = Sql.getInstant(rs, "t");
                sinceEvent = t == null ? null : Duration.between(t, now);
            }
        }
        Map<String, Duration> lag = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT resource_type, synced_until FROM fhir_sync_state ORDER BY resource_type");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                lag.put(rs.getString("resource_type"), Duration.between(Sql.getInstant(rs, "synced_until"), now));
            }
        }
        return new FhirLag(sinceEvent, lag);
    }

    private static Depth byStatus(Connection c, WorkTable t, Instant now) throws SQLException {
        return depth(c, t.table(), t.due(), t.waitingSql("") + " AND " + t.dueSql(""), now, true);
    }

    /** @param dueParameter whether {@code where} takes now as its one parameter */
    private static Depth depth(Connection c, String table, String since, String where, Instant now,
                               boolean dueParameter) throws SQLException {
        long due;
        // LIMIT inside: the database stops reading the index at the cap.
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 AS x FROM " + table
                + " WHERE " + where + " LIMIT " + COUNT_CAP + ") capped")) {
            bind(ps, dueParameter, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                due = rs.getLong(1);
            }
        }
        Duration oldest = null;
        if (due > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(" + since + ") AS t FROM " + table
                    + " WHERE " + where)) {
                bind(ps, dueParameter, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Instant t = Sql.getInstant(rs, "t");
                        oldest = t == null ? null : Duration.between(t, now);
                    }
                }
            }
        }
        return new Depth(due, oldest);
    }

    private static void bind(PreparedStatement ps, boolean dueParameter, Instant now) throws SQLException {
        if (dueParameter) {
            Sql.setInstant(ps, 1, now);
        }
    }
}
