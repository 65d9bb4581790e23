package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** API tokens (api_token) for machines: only a hash of each token is kept; the token itself is shown once. */
public final class ApiTokens {

    public long add(Connection c, String tokenHash, long userId, String name, String createdBy, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_token (token_hash, user_id, name, created_by, "
                + "created_at) VALUES (?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, tokenHash);
            ps.setLong(2, userId);
            ps.setString(3, Sql.cap(name, 100));
            ps.setString(4, createdBy);
            Sql.setInstant(ps, 5, now);
            return Sql.executeForId(ps);
        }
    }

    /** The user a token that has not been revoked belongs to. */
    public Optional<Long> userOf(Connection c, String tokenHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM api_token WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public void markUsed(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE token_hash = ?")) {
            Sql.setInstant(ps, 1, now);
            ps.setString(2, tokenHash);
            ps.executeUpdate();
        }
    }
}
