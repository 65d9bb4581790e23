package org.careline.store;

import org.careline.model.Role;
import org.careline.model.StaffUser;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The staff_user table: who may sign in, with which roles and sites, and their failed attempts. */
public final class StaffUsers {

    private static final String COLUMNS = "id, username, password_hash, roles, sites, failed_attempts, locked_until, "
            + "disabled";

    public Optional<StaffUser> byName(Connection c, String username) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM staff_user WHERE username = ?", username);
    }

    public Optional<StaffUser> byId(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM staff_user WHERE id = ?", id);
    }

    public List<StaffUser> all(Connection c) throws SQLException {
        List<StaffUser> users = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM staff_user ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(read(rs));
            }
        }
        return users;
    }

    public int count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM staff_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Adds a user; empty when the name is taken. */
    public Optional<Long> add(Connection c, String username, String passwordHash, Set<Role> roles, Set<String> sites,
                              Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_user (username, password_hash, roles, sites, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, username);
            ps.setString(2, passwordHash);
            ps.setString(3, roles.stream().map(Role::dbValue).collect(Collectors.joining(",")));
            ps.setString(4, sites == null ? null : String.join(",", sites));
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, now);
            return Optional.of(Sql.executeForId(ps));
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** After a wrong password: the new count of failures in a row, and the lock it led to (null: none). */
    public void recordFailure(Connection c, long id, int failedAttempts, Instant lockedUntil, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE staff_user SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?")) {
            ps.setInt(1, failedAttempts);
            Sql.setInstant(ps, 2, lockedUntil);
            Sql.setInstant(ps, 3, now);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** After a good password: the failures are forgotten and any lock lifted. */
    public void recordSuccess(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE staff_user SET failed_attempts = 0, locked_until = NULL, "
                + "updated_at = ? WHERE id = ? AND (failed_attempts <> 0 OR locked_until IS NOT NULL)")) {
            Sql.setInstant(ps, 1, now);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static Optional<StaffUser> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static StaffUser read(ResultSet rs) throws SQLException {
        String sites = rs.getString("sites");
        return new StaffUser(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                Role.parseList(rs.getString("roles")),
                sites == null ? null : new LinkedHashSet<>(Arrays.asList(sites.split(","))),
                rs.getInt("failed_attempts"), Sql.getInstant(rs, "locked_until"), rs.getBoolean("disabled"));
    }
}
