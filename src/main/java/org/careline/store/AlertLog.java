package org.careline.store;

import org.careline.model.AlertRaise;
import org.careline.model.AlertRouting;
import org.careline.model.AlertSeverity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Conditions that need a person (e.g. the WhatsApp token expired): kept until cleared, shown by /health and the
 * console until acknowledged. Raising one queues its deliveries to the notification channels its {@link AlertRouting}
 * names, in the same transaction: an alert is never stored without them, nor they without it.
 */
public final class AlertLog {

    /** An alert as stored. */
    public record Stored(long id, String kind, AlertSeverity severity, String site, String subject, Integer code,
                         String detail, Instant raisedAt, Instant clearedAt, String ackedBy, Instant ackedAt) {
    }

    private static final String COLUMNS = "id, kind, severity, site_code, subject, code, detail, raised_at, "
            + "cleared_at, acked_by, acked_at";

    private final AlertRouting routing;
    private final AlertDeliveries deliveries = new AlertDeliveries();

    /** An alert log that tells nobody: alerts only show in the console. */
    public AlertLog() {
        this(AlertRouting.NONE);
    }

    public AlertLog(AlertRouting routing) {
        this.routing = Objects.requireNonNull(routing);
    }

    /** A warning not tied to a site or subject (the engine's own conditions, as raised before alerts had those). */
    public void raise(Connection c, String kind, Integer code, String detail, Instant now) throws SQLException {
        raise(c, new AlertRaise(kind, AlertSeverity.WARNING, null, null, code, detail), now);
    }

    /** Records the alert and queues one delivery per routed channel, in the caller's transaction; returns its id. */
    public long raise(Connection c, AlertRaise a, Instant now) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert (kind, code, detail, raised_at, severity, "
                + "site_code, subject) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, a.kind());
            Sql.setInteger(ps, 2, a.code());
            ps.setString(3, Sql.cap(a.detail(), 600));
            Sql.setInstant(ps, 4, now);
            ps.setString(5, a.severity().dbValue());
            ps.setString(6, a.site());
            ps.setString(7, Sql.cap(a.subject(), 200));
            id = Sql.executeForId(ps);
        }
        for (String channel : new LinkedHashSet<>(routing.channels(a.site(), a.severity()))) {
            deliveries.enqueue(c, id, channel, now);
        }
        return id;
    }

    /**
     * Raises the alert unless one of the same kind about the same subject (and site) is still open (not cleared):
     * a condition that lasts is told once. Returns the new alert's id, or empty when one was open already.
     */
    public OptionalLong raiseUnlessOpen(Connection c, AlertRaise a, Instant now) throws SQLException {
        if (openId(c, a.kind(), a.subject()).isPresent()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(raise(c, a, now));
    }

    /** The open alert of {@code kind} about {@code subject} (null: about nothing in particular), if there is one. */
    public Optional<Long> openId(Connection c, String kind, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alert WHERE kind = ? AND cleared_at IS NULL "
                + "AND " + (subject == null ? "subject IS NULL" : "subject = ?") + " ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, kind);
            if (subject != null) {
                ps.setString(2, subject);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The subjects of the open alerts of {@code kind}. */
    public Set<String> openSubjects(Connection c, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT subject FROM alert WHERE kind = ? AND cleared_at IS NULL AND subject IS NOT NULL")) {
            ps.setString(1, kind);
            Set<String> out = new LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
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

    /** The condition is over: clears the open alerts of {@code kind} about {@code subject}. */
    public int clear(Connection c, String kind, String subject, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert SET cleared_at = ? WHERE kind = ? AND subject = ? AND cleared_at IS NULL")) {
            Sql.setInstant(ps, 1, now);
            ps.setString(2, kind);
            ps.setString(3, subject);
            return ps.executeUpdate();
        }
    }

    /**
     * The newest {@code limit} alerts, newest first: of the sites in {@code sites} and those tied to no site
     * ({@code sites} null: every site); with {@code unackedOnly}, only those nobody has acknowledged yet.
     */
    public List<Stored> list(Connection c, Set<String> sites, boolean unackedOnly, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE 1 = 1");
        List<String> siteList = sites == null ? List.of() : new ArrayList<>(sites);
        if (sites != null) {
            sql.append(" AND (site_code IS NULL")
                    .append(siteList.isEmpty() ? "" : " OR site_code IN ("
                            + siteList.stream().map(s -> "?").collect(Collectors.joining(", ")) + ")")
                    .append(')');
        }
        if (unackedOnly) {
            sql.append(" AND acked_at IS NULL");
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String s : siteList) {
                ps.setString(i++, s);
            }
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(stored(rs));
                }
            }
            return out;
        }
    }

    public Optional<Stored> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Acknowledges the alert for {@code user} unless someone already did: a compare-and-set, so of two people
     * acknowledging at once exactly one does. False when it was acknowledged before, or does not exist.
     */
    public boolean ack(Connection c, long id, String user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_at IS NULL")) {
            ps.setString(1, Sql.cap(user, 100));
            Sql.setInstant(ps, 2, now);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong("id"), rs.getString("kind"), AlertSeverity.fromDb(rs.getString("severity")),
                rs.getString("site_code"), rs.getString("subject"), Sql.getInteger(rs, "code"),
                rs.getString("detail"), Sql.getInstant(rs, "raised_at"), Sql.getInstant(rs, "cleared_at"),
                rs.getString("acked_by"), Sql.getInstant(rs, "acked_at"));
    }
}
