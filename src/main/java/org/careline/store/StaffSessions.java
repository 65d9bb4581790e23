package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions (staff_session), kept in the database so that any engine behind a balancer knows them and a
 * restart signs nobody out. Only a hash of the cookie's value is stored.
 */
public final class StaffSessions {

    /** A live session: whose, its CSRF token, and until when it lasts unless used again. */
    public record Session(String idHash, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                          Instant expiresAt) {
    }

    public void add(Connection c, String idHash, long userId, String csrfToken, Instant now, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_session (id_hash, user_id, csrf_token, "
                + "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, idHash);
            ps.setLong(2, userId);
            ps.setString(3, csrfToken);
            Sql.setInstant(ps, 4, now);
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, expiresAt);
            ps.executeUpdate();
        }
    }

    /** The session, if it exists and has not expired at {@code now}. */
    public Optional<Session> find(Connection c, String idHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, "
                + "expires_at FROM staff_session WHERE id_hash = ? AND expires_at > ?")) {
            ps.setString(1, idHash);
            Sql.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Session(rs.getString(1), rs.getLong(2), rs.getString(3),
                        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "last_seen_at"),
                        Sql.getInstant(rs, "expires_at")));
            }
        }
    }

    /** Used again: lasts until {@code expiresAt} now. */
    public void touch(Connection c, String idHash, Instant now, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE staff_session SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?")) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, expiresAt);
            ps.setString(3, idHash);
            ps.executeUpdate();
        }
    }

    public void remove(Connection c, String idHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM staff_session WHERE id_hash = ?")) {
            ps.setString(1, idHash);
            ps.executeUpdate();
        }
    }

    /** Forgets sessions that ended before {@code now}; returns how many. */
    public int removeExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM staff_session WHERE expires_at <= ?")) {
            Sql.setInstant(ps, 1, now);
            return ps.executeUpdate();
        }
    }
}
