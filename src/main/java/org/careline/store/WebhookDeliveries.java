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
            return Sql.executeForId(ps);
        }
    }

    /**
     * Up to {@code limit} deliveries to process now, oldest first (those waiting for a retry only once due); without
     * their bodies, which may be large: {@link #body} reads one at a time.
     */
    public List<Pending> pending(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, attempts FROM webhook_delivery "
                + "WHERE processed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                // processed_at (NULL here) leads the ORDER BY so H2 reads ix_webhook_delivery_pending in order.
                + "ORDER BY processed_at, id FETCH FIRST " + limit + " ROWS ONLY")) {
            Sql.setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                List<Pending> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Pending(rs.getLong(1), rs.getInt(2)));
                }
                return out;
            }
        }
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
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET processed_at = ?, attempts = ?, "
                + "next_attempt_at = NULL, error = ? WHERE id = ?")) {
            Sql.setInstant(ps, 1, now);
            ps.setInt(2, attempts);
            ps.setString(3, Sql.cap(error, 600));
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** Not done: to be tried again from {@code nextAttempt}. */
    public void markRetry(Connection c, long id, int attempts, String error, Instant nextAttempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET attempts = ?, next_attempt_at = ?, "
                + "error = ? WHERE id = ? AND processed_at IS NULL")) {
            ps.setInt(1, attempts);
            Sql.setInstant(ps, 2, nextAttempt);
            ps.setString(3, Sql.cap(error, 600));
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }
}
