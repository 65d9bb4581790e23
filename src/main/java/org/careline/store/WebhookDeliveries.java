package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook POSTs from Meta, stored as received before they are answered, then processed from here in id order.
 * The body holds PHI (what patients wrote, their numbers): never log it, log the delivery id.
 */
public final class WebhookDeliveries {

    /** Every webhook stored is a message in: one trail entry, in the same transaction. */
    private static final AuditLog AUDIT = new AuditLog();


    /**
     * webhook_delivery as a work queue: no status and no lease (a batch is processed in the transaction that read
     * it); processed_at stamps it done, next_attempt_at holds it back for a retry. ORDER BY processed_at (NULL
     * here), id: the columns of ix_webhook_delivery_pending, so the database reads that index in order.
     */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withDoneStamp("webhook_delivery", "processed_at",
            "next_attempt_at", "attempts", "error", 600, "processed_at, id"));

    /** A delivery not processed yet, with how often processing it has failed so far. */
    public record Pending(long id, int attempts) {
    }

    /**
     * Stores a delivery and returns its id. With {@code unprocessable} set it is stored as processed already,
     * with that error: kept for the record, never processed.
     */
    public long record(Connection c, String body, String unprocessable, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery (body, received_at, "
                + "processed_at, attempts, error) VALUES (?, ?, ?, 0, ?)", new String[]{"id"})) {
            ps.setString(1, body);
            Sql.setInstant(ps, 2, now);
            Sql.setInstant(ps, 3, unprocessable == null ? null : now);
            ps.setString(4, Sql.cap(unprocessable, 600));
            long id = Sql.executeForId(ps);
            AUDIT.engine(c, "webhook_in", "webhook:" + id, unprocessable == null ? "ok" : "unprocessable", null, now);
            return id;
        }
    }

    /**
     * Up to {@code limit} deliveries to process now, oldest first (those waiting for a retry only once due); without
     * their bodies, which may be large: {@link #body} reads one at a time.
     */
    public List<Pending> pending(Connection c, Instant now, int limit) throws SQLException {
        List<Pending> out = new ArrayList<>();
        for (WorkQueue.Waiting w : QUEUE.waitingDue(c, now, limit)) {
            out.add(new Pending(w.id(), w.attempts()));
        }
        return out;
    }

    /** The body of a delivery as received. */
    public String body(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM webhook_delivery WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("webhook delivery " + id + " not found");
                }
                return rs.getString(1);
            }
        }
    }

    /** Done (for good): {@code error} says what could not be used, or is null. */
    public void markProcessed(Connection c, long id, int attempts, String error, Instant now) throws SQLException {
        QUEUE.finish(c, id, null, attempts, error, now);
    }

    /** Not done: to be tried again from {@code nextAttempt}. */
    public void markRetry(Connection c, long id, int attempts, String error, Instant nextAttempt, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, nextAttempt, error, now);
    }
}
