package org.careline.store;

import org.careline.model.FhirWorkStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What FHIR notifications asked of Careline (fhir_work): re-read one resource ("Appointment/1"), or catch up
 * (focus null). Rows are written in the notification's transaction before it is answered 2xx, and worked off by
 * the fhir-sync route. Statuses: PENDING, WORKING (claimed), DONE.
 */
public final class FhirWorkQueue {

    /** Every notification stored is a message in: one trail entry, in the same transaction. */
    private static final AuditLog AUDIT = new AuditLog();


    private static final String PENDING = FhirWorkStatus.PENDING.dbValue();

    /** fhir_work as a work queue: claimed under a lease by whichever engine, no owner kept. */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withStatus("fhir_work", "status", PENDING,
            FhirWorkStatus.WORKING.dbValue(), "due_at", "attempts", null, "claimed_until", "last_error", 200,
            "status, due_at, id"));

    /** One claimed piece of work. */
    public record Work(long id, String focus, String subscription, Long sinceEvent, int attempts) {
        public boolean catchUp() {
            return focus == null;
        }
    }

    /**
     * A FHIR notification as an analyst sees it: what it asked Careline to read (a resource, or a catch-up of a
     * subscription), how far that got and why not; never a resource's content.
     */
    public record Received(long id, String focus, String subscription, String status, int attempts, String lastError,
                           Instant receivedAt, Instant updatedAt) {
    }

    /** The newest work from notifications, newest first; {@code focus} null for all, else that resource's. */
    public List<Received> recent(Connection c, String focus, int limit) throws SQLException {
        List<Received> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, focus, subscription, status, attempts, last_error, "
                + "created_at, updated_at FROM fhir_work" + (focus == null ? "" : " WHERE focus = ?")
                + " ORDER BY id DESC FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY")) {
            if (focus != null) {
                ps.setString(1, focus);
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Received(rs.getLong("id"), rs.getString("focus"), rs.getString("subscription"),
                            rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"),
                            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at")));
                }
            }
        }
        return out;
    }

    /**
     * Queues a re-read of {@code focus}; false (nothing queued) when {@code dedupeKey} was seen before or the same
     * resource is already waiting: it will be read once, in its state at that time.
     */
    public boolean addRead(Connection c, String focus, String dedupeKey, String subscription, Instant now)
            throws SQLException {
        if (dedupeKey != null && exists(c, "dedupe_key = ?", dedupeKey)) {
            return false;
        }
        if (exists(c, "focus = ? AND status = '" + PENDING + "'", focus)) {
            return false;
        }
        insert(c, focus, dedupeKey, subscription, null, now);
        return true;
    }

    /**
     * Queues a catch-up: a search for what changed since the last one (and, for a subscription with event
     * numbers, the events after {@code sinceEvent}). One waiting catch-up is enough; false if there is one.
     */
    public boolean addCatchUp(Connection c, String subscription, Long sinceEvent, String dedupeKey, Instant now)
            throws SQLException {
        if (dedupeKey != null && exists(c, "dedupe_key = ?", dedupeKey)) {
            return false;
        }
        if (exists(c, "focus IS NULL AND status = '" + PENDING + "'", null)) {
            return false;
        }
        insert(c, null, dedupeKey, subscription, sinceEvent, now);
        return true;
    }

    /** Ids of work that may be done now, oldest first: due PENDING rows and WORKING rows whose claim lapsed. */
    public List<Long> due(Connection c, Instant now, int limit) throws SQLException {
        return QUEUE.claimable(c, now, limit, "");
    }

    /** Takes a due row for {@code lease}; null when another engine has it or it is no longer due. */
    public Work claim(Connection c, long id, Instant now, Duration lease) throws SQLException {
        if (!QUEUE.claim(c, id, null, now, lease)) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT focus, subscription, since_event, attempts "
                + "FROM fhir_work WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long since = rs.getLong("since_event");
                Long sinceEvent = rs.wasNull() ? null : since;
                return new Work(id, rs.getString("focus"), rs.getString("subscription"), sinceEvent,
                        rs.getInt("attempts"));
            }
        }
    }

    public void done(Connection c, long id, Instant now) throws SQLException {
        QUEUE.finish(c, id, FhirWorkStatus.DONE.dbValue(), null, null, now);
    }

    /** Not done (the server could not be reached, or refused): PENDING again, due at {@code retryAt}. */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String reason, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, retryAt, reason, now);
    }

    private static void insert(Connection c, String focus, String dedupeKey, String subscription, Long sinceEvent,
                               Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fhir_work (dedupe_key, focus, subscription, "
                + "since_event, status, attempts, due_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, '" + PENDING + "', 0, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, Sql.cap(dedupeKey, 500));
            ps.setString(2, focus);
            ps.setString(3, Sql.cap(subscription, 300));
            Sql.setLong(ps, 4, sinceEvent);
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, now);
            Sql.setInstant(ps, 7, now);
            long id = Sql.executeForId(ps);
            AUDIT.engine(c, "fhir_in", "fhir_work:" + id, "ok", focus == null ? "catch-up" : "read", now);
        }
    }

    private static boolean exists(Connection c, String where, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM fhir_work WHERE " + where)) {
            if (value != null) {
                ps.setString(1, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
