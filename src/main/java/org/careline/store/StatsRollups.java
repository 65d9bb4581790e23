package org.careline.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The figures' tables (V15): the daily roll-ups {@code stats_day}, how far each append-only log has been folded into
 * them ({@code stats_watermark}), the (site, service) pairs seen, and the portal's first opens of a notice's link.
 * Reads the logs as plain facts with their site and service; what each fact counts as is decided by the caller.
 * Everything here is counts, codes and ids: no name, phone number or text of a patient.
 */
public final class StatsRollups {

    /** stats_watermark.source of each log folded by id, and of the no-show split's last recomputation. */
    public static final String APPOINTMENT_EVENTS = "appointment_event";
    public static final String MESSAGE_EVENTS = "message_event";
    public static final String REPLIES = "inbound_reply";
    public static final String PORTAL_OPENS = "portal_open";
    public static final String NO_SHOWS = "no_show";

    /** '' is "none" in the roll-ups' key columns (a key may not hold NULL). */
    public static final String NONE = "";

    /** One row of an append-only log, with where it belongs: site and service ('' when none). */
    public record Fact(long id, Instant at, String site, String service, String kind, String what, String detail,
                       Integer code, boolean firstReach, boolean afterFailedStatus) {
    }

    /** One count to add to (or put into) the roll-ups. */
    public record Count(LocalDate day, String site, String service, String figure, String detail, long amount) {
    }

    /** A sum of the roll-ups over the chosen sites and service, by day, figure and detail. */
    public record Total(LocalDate day, String figure, String detail, long amount) {
    }

    /** An appointment whose start has passed, as the no-show split needs it. */
    public record Started(String site, String service, Instant start, String status, boolean confirmed,
                          boolean reached) {
    }

    /** A staff handoff as the queue figures need it. */
    public record Handoff(String site, String queue, boolean urgent, Instant created, Instant firstAnswer,
                          Instant due) {
    }

    /** What recording a portal open did. */
    public sealed interface OpenRecord permits Counted, AlreadyCounted, NoSuchNotice {
    }

    public record Counted(long noticeId) implements OpenRecord {
    }

    public record AlreadyCounted(long noticeId) implements OpenRecord {
    }

    public record NoSuchNotice() implements OpenRecord {
    }

    /** The watermarks, locked until the caller's transaction ends (one folding round at a time, across engines). */
    public Map<String, Long> lockWatermarks(Connection c) throws SQLException {
        Map<String, Long> marks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT source, last_id FROM stats_watermark ORDER BY source FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                marks.put(rs.getString(1), rs.getLong(2));
            }
        }
        return marks;
    }

    /**
     * One watermark, locked until the caller's transaction ends: folding one log, or counting the no-show split, is
     * done by one engine at a time, and neither waits for the other.
     */
    public long lockWatermark(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_id FROM stats_watermark WHERE source = ? FOR UPDATE")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    public void setWatermark(Connection c, String source, long lastId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE stats_watermark SET last_id = ?, updated_at = ? WHERE source = ?")) {
            ps.setLong(1, lastId);
            Sql.setInstant(ps, 2, now);
            ps.setString(3, source);
            ps.executeUpdate();
        }
    }

    /** When the watermark row was last moved (for the no-show split: when it was last recomputed). */
    public Instant watermarkTime(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT updated_at FROM stats_watermark WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Sql.getInstant(rs, "updated_at") : null;
            }
        }
    }

    /** Appointment events after {@code afterId}, oldest first; {@code what} is the action (BOOK, …) or null. */
    public List<Fact> appointmentEvents(Connection c, long afterId, int limit) throws SQLException {
        return facts(c, "SELECT e.id, e.recorded_at AS at, a.site_code, a.service_code, NULL AS kind, e.action AS what, "
                + "NULL AS detail, NULL AS code, 0 AS first_reach, 0 AS after_failed FROM appointment_event e "
                + "JOIN appointment a ON a.id = e.appointment_id WHERE e.id > ? ORDER BY e.id", afterId, limit);
    }

    /**
     * Message events after {@code afterId}, oldest first, with the outbox row's kind and label (in {@code detail}
     * for a queued event), the reason and code of a failure, whether a delivered/read event is the first of its
     * wamid to say the message reached the phone, and whether a dead event follows a failed status at once.
     */
    public List<Fact> messageEvents(Connection c, long afterId, int limit) throws SQLException {
        return facts(c, "SELECT e.id, e.recorded_at AS at, COALESCE(a.site_code, n.site_code) AS site_code, "
                + "a.service_code, o.kind, e.event AS what, "
                + "CASE WHEN e.event = 'queued' THEN o.label WHEN e.event IN ('failed', 'dead') THEN e.detail END "
                + "AS detail, o.error_code AS code, "
                + "CASE WHEN e.event IN ('delivered', 'read') AND e.id = (SELECT MIN(f.id) FROM message_event f "
                + "WHERE f.outbox_id = e.outbox_id AND f.event IN ('delivered', 'read') AND f.detail = e.detail) "
                + "THEN 1 ELSE 0 END AS first_reach, "
                + "CASE WHEN e.event = 'dead' AND (SELECT p.event FROM message_event p WHERE p.id = (SELECT MAX(q.id) "
                + "FROM message_event q WHERE q.outbox_id = e.outbox_id AND q.id < e.id)) = 'failed' THEN 1 ELSE 0 "
                + "END AS after_failed "
                + "FROM message_event e JOIN outbox o ON o.id = e.outbox_id "
                + "LEFT JOIN appointment a ON a.id = o.appointment_id "
                + "LEFT JOIN result_notice n ON n.id = o.result_notice_id WHERE e.id > ? ORDER BY e.id", afterId, limit);
    }

    /** Patients' replies after {@code afterId}, oldest first; {@code what} is the intent. */
    public List<Fact> replies(Connection c, long afterId, int limit) throws SQLException {
        return facts(c, "SELECT r.id, r.recorded_at AS at, a.site_code, a.service_code, NULL AS kind, r.intent AS what, "
                + "NULL AS detail, NULL AS code, 0 AS first_reach, 0 AS after_failed FROM inbound_reply r "
                + "LEFT JOIN appointment a ON a.id = r.appointment_id WHERE r.id > ? ORDER BY r.id", afterId, limit);
    }

    /** The portal's first opens after {@code afterId}, oldest first. */
    public List<Fact> portalOpens(Connection c, long afterId, int limit) throws SQLException {
        return facts(c, "SELECT id, opened_at AS at, site_code, NULL AS service_code, NULL AS kind, NULL AS what, "
                + "NULL AS detail, NULL AS code, 0 AS first_reach, 0 AS after_failed FROM portal_open WHERE id > ? "
                + "ORDER BY id", afterId, limit);
    }

    private static List<Fact> facts(Connection c, String sql, long afterId, int limit) throws SQLException {
        List<Fact> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterId);
            ps.setMaxRows(limit);
            ps.setFetchSize(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Fact(rs.getLong("id"), Sql.getInstant(rs, "at"), orNone(rs.getString("site_code")),
                            orNone(rs.getString("service_code")), rs.getString("kind"), rs.getString("what"),
                            rs.getString("detail"), Sql.getInteger(rs, "code"), rs.getInt("first_reach") == 1,
                            rs.getInt("after_failed") == 1));
                }
            }
        }
        return out;
    }

    /** Adds each count to its roll-up row (summed first, so a row is written once per call). */
    public void add(Connection c, Collection<Count> counts) throws SQLException {
        Map<List<Object>, Long> summed = new LinkedHashMap<>();
        for (Count n : counts) {
            summed.merge(List.of(n.day(), n.site(), n.service(), n.figure(), cap(n.detail())), n.amount(), Long::sum);
        }
        if (summed.isEmpty()) {
            return;
        }
        List<Map.Entry<List<Object>, Long>> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE stats_day SET amount = amount + ? WHERE stat_day = ? "
                + "AND site_code = ? AND service_code = ? AND figure = ? AND detail = ?")) {
            List<Map.Entry<List<Object>, Long>> entries = new ArrayList<>(summed.entrySet());
            for (Map.Entry<List<Object>, Long> e : entries) {
                ps.setLong(1, e.getValue());
                setKey(ps, 2, e.getKey());
                ps.addBatch();
            }
            int[] updated = ps.executeBatch();
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    missing.add(entries.get(i));
                }
            }
        }
        insert(c, missing);
        Set<List<String>> services = new TreeSet<>(java.util.Comparator.comparing(Object::toString));
        for (List<Object> key : summed.keySet()) {
            if (!NONE.equals(key.get(1))) {
                services.add(List.of((String) key.get(1), (String) key.get(2)));
            }
        }
        addServices(c, services);
    }

    /**
     * Replaces the roll-ups of {@code figures} from {@code firstDay} on with {@code counts} (the no-show split, whose
     * recent days are counted again each round).
     */
    public void replaceFrom(Connection c, LocalDate firstDay, List<String> figures, Collection<Count> counts)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stats_day WHERE stat_day >= ? AND figure IN ("
                + String.join(", ", java.util.Collections.nCopies(figures.size(), "?")) + ")")) {
            ps.setDate(1, Date.valueOf(firstDay));
            for (int i = 0; i < figures.size(); i++) {
                ps.setString(i + 2, figures.get(i));
            }
            ps.executeUpdate();
        }
        Map<List<Object>, Long> summed = new LinkedHashMap<>();
        for (Count n : counts) {
            summed.merge(List.of(n.day(), n.site(), n.service(), n.figure(), cap(n.detail())), n.amount(), Long::sum);
        }
        insert(c, new ArrayList<>(summed.entrySet()));
    }

    private static void insert(Connection c, List<Map.Entry<List<Object>, Long>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stats_day (stat_day, site_code, service_code, "
                + "figure, detail, amount) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<List<Object>, Long> e : rows) {
                setKey(ps, 1, e.getKey());
                ps.setLong(6, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setKey(PreparedStatement ps, int first, List<Object> key) throws SQLException {
        ps.setDate(first, Date.valueOf((LocalDate) key.get(0)));
        for (int i = 1; i < 5; i++) {
            ps.setString(first + i, (String) key.get(i));
        }
    }

    private static void addServices(Connection c, Set<List<String>> pairs) throws SQLException {
        for (List<String> p : pairs) {
            boolean known;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM stats_service WHERE site_code = ? AND service_code = ?")) {
                ps.setString(1, p.get(0));
                ps.setString(2, p.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    known = rs.next();
                }
            }
            if (!known) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO stats_service (site_code, service_code) VALUES (?, ?)")) {
                    ps.setString(1, p.get(0));
                    ps.setString(2, p.get(1));
                    ps.executeUpdate();
                }
            }
        }
    }

    /**
     * The roll-ups summed by day, figure and detail over days {@code from}..{@code to} (inclusive).
     *
     * @param sites   the site codes to sum; null for every row (also those of no site)
     * @param service a service code, or null for all
     */
    public List<Total> totals(Connection c, LocalDate from, LocalDate to, Collection<String> sites, String service)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT stat_day, figure, detail, SUM(amount) FROM stats_day "
                + "WHERE stat_day >= ? AND stat_day <= ?");
        List<String> values = new ArrayList<>();
        if (sites != null) {
            if (sites.isEmpty()) {
                return List.of();
            }
            sql.append(" AND site_code IN (").append(String.join(", ", java.util.Collections.nCopies(sites.size(), "?")))
                    .append(')');
            values.addAll(sites);
        }
        if (service != null) {
            sql.append(" AND service_code = ?");
            values.add(service);
        }
        sql.append(" GROUP BY stat_day, figure, detail");
        List<Total> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setDate(1, Date.valueOf(from));
            ps.setDate(2, Date.valueOf(to));
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 3, values.get(i));
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Total(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Each appointment (booked or marked no-show) whose start is in [{@code from}, {@code before}), streamed. */
    public void started(Connection c, Instant from, Instant before, java.util.function.Consumer<Started> each)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.site_code, a.service_code, a.start_at, a.status, "
                + "a.confirmed_at, CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.appointment_id = a.id "
                + "AND o.delivery_status IN ('delivered', 'read')) THEN 1 ELSE 0 END AS reached FROM appointment a "
                + "WHERE a.start_at >= ? AND a.start_at < ? AND a.status IN ('BOOKED', 'NO_SHOW')")) {
            Sql.setInstant(ps, 1, from);
            Sql.setInstant(ps, 2, before);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(new Started(orNone(rs.getString(1)), orNone(rs.getString(2)),
                            Sql.getInstant(rs, "start_at"), rs.getString(4), rs.getObject(5) != null,
                            rs.getInt(6) == 1));
                }
            }
        }
    }

    /** Staff handoffs opened in [{@code from}, {@code before}), of one service or all (null). */
    public List<Handoff> handoffs(Connection c, Instant from, Instant before, String service) throws SQLException {
        List<Handoff> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT h.site_code, h.queue, h.urgent, h.created_at, "
                + "h.first_answer_at, h.due_at FROM staff_handoff h LEFT JOIN appointment a ON a.id = h.appointment_id "
                + "WHERE h.created_at >= ? AND h.created_at < ?"
                + (service == null ? "" : " AND a.service_code = ?"))) {
            Sql.setInstant(ps, 1, from);
            Sql.setInstant(ps, 2, before);
            if (service != null) {
                ps.setString(3, service);
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Handoff(orNone(rs.getString(1)), rs.getString(2), rs.getBoolean(3),
                            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "first_answer_at"),
                            Sql.getInstant(rs, "due_at")));
                }
            }
        }
        return out;
    }

    /** Every site's services the figures have seen, sorted. */
    public Map<String, List<String>> services(Connection c) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT site_code, service_code FROM stats_service ORDER BY site_code, service_code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> list = out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (!NONE.equals(rs.getString(2))) {
                    list.add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The portal opened the link of the notice with {@code reference}: counted the first time only. */
    public OpenRecord recordOpen(Connection c, String reference, Instant now) throws SQLException {
        long noticeId;
        String site;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, site_code FROM result_notice WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new NoSuchNotice();
                }
                noticeId = rs.getLong(1);
                site = rs.getString(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM portal_open WHERE notice_id = ?")) {
            ps.setLong(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new AlreadyCounted(noticeId);
                }
            }
        }
        // Two portals reporting the same open at the same moment: the unique notice makes the second fail and roll
        // back; its caller is told "already counted" (see stats.PortalOpens).
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO portal_open (notice_id, site_code, opened_at) VALUES (?, ?, ?)")) {
            ps.setLong(1, noticeId);
            ps.setString(2, site);
            Sql.setInstant(ps, 3, now);
            ps.executeUpdate();
        }
        return new Counted(noticeId);
    }

    /** Whether {@code e} is the unique key of portal_open refusing a second open. */
    public static boolean isSecondOpen(SQLException e) {
        return Sql.isUniqueViolation(e);
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    private static String cap(String s) {
        return s == null ? NONE : Sql.cap(s, 700);
    }
}
