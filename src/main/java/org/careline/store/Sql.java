package org.careline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** JDBC conversions shared by the stores; instants go in as UTC TIMESTAMP WITH TIME ZONE on H2 and PostgreSQL. */
final class Sql {

    private Sql() {
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    /**
     * Runs {@code update}; when it changed no row, runs {@code insert} — a portable upsert (H2 and PostgreSQL
     * spell MERGE / ON CONFLICT differently). Two transactions racing to insert the same key: the loser fails on
     * the key and its caller's transaction rolls back, to be retried.
     */
    static void updateElseInsert(java.sql.Connection c, String update, Parameters updateParameters, String insert,
                                 Parameters insertParameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(update)) {
            updateParameters.set(ps);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            insertParameters.set(ps);
            ps.executeUpdate();
        }
    }

    static void setInstant(PreparedStatement ps, int i, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setInteger(PreparedStatement ps, int i, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, value);
        }
    }

    static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** Runs an INSERT prepared with generated keys and returns the new row's id. */
    static long executeForId(PreparedStatement ps) throws SQLException {
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Unique-key violations: SQLState class 23 on both H2 and PostgreSQL. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().equals("23505") || s.getSQLState().equals("23001"))) {
                return true;
            }
        }
        return false;
    }

}
