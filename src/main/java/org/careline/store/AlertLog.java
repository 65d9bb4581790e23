package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Conditions that need a person (e.g. the WhatsApp token expired): kept until cleared, shown by /health. */
public final class AlertLog {

    public void raise(Connection c, String kind, Integer code, String detail, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alert (kind, code, detail, raised_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, kind);
            Sql.setInteger(ps, 2, code);
            ps.setString(3, Sql.cap(detail, 600));
            Sql.setInstant(ps, 4, now);
            ps.executeUpdate();
        }
    }

    /** Clears the open alerts of {@code kind} raised before {@code before} (e.g. by an earlier life of the engine). */
    public int clearRaisedBefore(Connection c, String kind, Instant before, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert SET cleared_at = ? WHERE kind = ? AND cleared_at IS NULL AND raised_at < ?")) {
            Sql.setInstant(ps, 1, now);
            ps.setString(2, kind);
            Sql.setInstant(ps, 3, before);
            return ps.executeUpdate();
        }
    }

    public int clear(Connection c, String kind, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert SET cleared_at = ? WHERE kind = ? AND cleared_at IS NULL")) {
            Sql.setInstant(ps, 1, now);
            ps.setString(2, kind);
            return ps.executeUpdate();
        }
    }
}
