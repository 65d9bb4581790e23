package org.careline.store;

import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Conditions that need a person (e.g. the WhatsApp token expired): kept until cleared, shown by /health. */
public final class AlertLog {

    /** A warning not tied to a site or subject (the engine's own conditions, as raised before alerts had those). */
    public void raise(Connection c, String kind, Integer code, String detail, Instant now) throws SQLException {
        raise(c, new AlertRaise(kind, AlertSeverity.WARNING, null, null, code, detail), now);
    }

    /** Records the alert in the caller's transaction; returns its id. */
    public long raise(Connection c, AlertRaise a, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert (kind, code, detail, raised_at, severity, "
                + "site_code, subject) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, a.kind());
            Sql.setInteger(ps, 2, a.code());
            ps.setString(3, Sql.cap(a.detail(), 600));
            Sql.setInstant(ps, 4, now);
            ps.setString(5, a.severity().dbValue());
            ps.setString(6, a.site());
            ps.setString(7, Sql.cap(a.subject(), 200));
            return Sql.executeForId(ps);
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
