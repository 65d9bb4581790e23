package org.careline.store;

import org.careline.model.ReportTrigger;
import org.careline.store.WorkQueue.Assignment;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The monthly KPI reports kept for download (kpi_report, one per site and month: the CSV and the PDF as made) and
 * their e-mails (kpi_report_delivery, one per report and channel, a work queue like alert_delivery: PENDING,
 * SENDING under a lease, SENT, DEAD). Counts only: a report holds nothing about one patient.
 */
public final class KpiReports {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String DEAD = "DEAD";

    /** kpi_report_delivery as a work queue; ORDER BY status, due_at, id follows ix_kpi_report_delivery_status_due. */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withStatus("kpi_report_delivery", "status", PENDING,
            SENDING, "due_at", "attempts", "claimed_by", "claimed_until", "last_error", 600, "status, due_at, id"));

    /** Which of a report's two files. */
    public enum Format {
        CSV("csv_data"), PDF("pdf_data");

        private final String column;

        Format(String column) {
            this.column = column;
        }
    }

    /** A report without its files: what lists and the API show. */
    public record Summary(long id, String site, String month, Instant createdAt, ReportTrigger trigger,
                          String requestedBy) {
    }

    /** A claimed e-mail of a report, with what it needs to find the report. */
    public record Due(long id, long reportId, String channel, int attempts, Instant createdAt, String site,
                      String month) {
    }

    private static final String SUMMARY = "id, site_code, report_month, created_at, trigger_kind, requested_by";

    /** The report of {@code site} for {@code month} (YYYY-MM), if one was made. */
    public Optional<Summary> find(Connection c, String site, String month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY + " FROM kpi_report "
                + "WHERE site_code = ? AND report_month = ?")) {
            ps.setString(1, site);
            ps.setString(2, month);
            return one(ps);
        }
    }

    public Optional<Summary> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY + " FROM kpi_report WHERE id = ?")) {
            ps.setLong(1, id);
            return one(ps);
        }
    }

    /**
     * Keeps a report: a new row, or — when the site's month has one already — its files, trigger, requester and time
     * replaced in the same row (same id). Returns the id.
     */
    public long save(Connection c, String site, String month, ReportTrigger trigger, String requestedBy, byte[] csv,
                     byte[] pdf, Instant now) throws SQLException {
        Optional<Summary> existing = find(c, site, month);
        if (existing.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE kpi_report SET trigger_kind = ?, requested_by = ?, "
                    + "csv_data = ?, pdf_data = ?, created_at = ? WHERE id = ?")) {
                ps.setString(1, trigger.dbValue());
                ps.setString(2, Sql.cap(requestedBy, 100));
                ps.setBytes(3, csv);
                ps.setBytes(4, pdf);
                Sql.setInstant(ps, 5, now);
                ps.setLong(6, existing.get().id());
                ps.executeUpdate();
            }
            return existing.get().id();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kpi_report (site_code, report_month, trigger_kind, "
                + "requested_by, csv_data, pdf_data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, site);
            ps.setString(2, month);
            ps.setString(3, trigger.dbValue());
            ps.setString(4, Sql.cap(requestedBy, 100));
            ps.setBytes(5, csv);
            ps.setBytes(6, pdf);
            Sql.setInstant(ps, 7, now);
            return Sql.executeForId(ps);
        }
    }

    /** One of the report's files, if the report exists. */
    public Optional<byte[]> file(Connection c, long id, Format format) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + format.column + " FROM kpi_report WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /**
     * The newest {@code limit} reports, newest first (by when made): of {@code sites}, or of every site when
     * {@code sites} is null.
     */
    public List<Summary> list(Connection c, Set<String> sites, int limit) throws SQLException {
        List<String> siteList = sites == null ? List.of() : new ArrayList<>(sites);
        if (sites != null && siteList.isEmpty()) {
            return List.of();
        }
        String where = sites == null ? "" : " WHERE site_code IN ("
                + siteList.stream().map(s -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY + " FROM kpi_report" + where
                + " ORDER BY created_at DESC, id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
            int i = 1;
            for (String s : siteList) {
                ps.setString(i++, s);
            }
            List<Summary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
            return out;
        }
    }

    /** Queues the report's e-mail to {@code channel}, due at once, unless it has one there already; true if queued. */
    public boolean queueDelivery(Connection c, long reportId, String channel, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM kpi_report_delivery WHERE report_id = ? AND channel = ?")) {
            ps.setLong(1, reportId);
            ps.setString(2, channel);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kpi_report_delivery (report_id, channel, status, "
                + "attempts, due_at, created_at, updated_at) VALUES (?, ?, '" + PENDING + "', 0, ?, ?, ?)")) {
            ps.setLong(1, reportId);
            ps.setString(2, channel);
            Sql.setInstant(ps, 3, now);
            Sql.setInstant(ps, 4, now);
            Sql.setInstant(ps, 5, now);
            ps.executeUpdate();
        }
        return true;
    }

    /** Claims up to {@code limit} due e-mails for {@code owner} until {@code now + lease}; commits the claims. */
    public List<Long> claimDue(DataSource ds, String owner, Instant now, Duration lease, int limit)
            throws SQLException {
        return QUEUE.claimBatch(ds, owner, now, lease, limit);
    }

    public Due load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.report_id, d.channel, d.attempts, d.created_at, "
                + "r.site_code, r.report_month FROM kpi_report_delivery d JOIN kpi_report r ON r.id = d.report_id "
                + "WHERE d.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("report delivery " + id + " not found");
                }
                return new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), Sql.getInstant(rs,
                        "created_at"), rs.getString(6), rs.getString(7));
            }
        }
    }

    /** The SMTP server took it. */
    public void sent(Connection c, long id, int attempts, Instant now) throws SQLException {
        QUEUE.finish(c, id, SENT, attempts, null, now,
                new Assignment("sent_at = ?", (ps, i) -> Sql.setInstant(ps, i, now)));
    }

    /** Given up, {@code reason} saying why. */
    public void dead(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        QUEUE.finish(c, id, DEAD, attempts, reason, now);
    }

    /** Not sent this time: PENDING again, due at {@code retryAt}. */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String reason, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, retryAt, reason, now);
    }

    /** Not tried this round (its channel failed just before): back, attempts as they were. */
    public void putBack(Connection c, long id, Instant dueAt, String reason, Instant now) throws SQLException {
        QUEUE.release(c, id, dueAt, reason, now, List.of(SENDING));
    }

    /** The e-mails of report {@code reportId}: channel → status. */
    public java.util.Map<String, String> deliveries(Connection c, long reportId) throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT channel, status FROM kpi_report_delivery WHERE report_id = ? ORDER BY id")) {
            ps.setLong(1, reportId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static Optional<Summary> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
        }
    }

    private static Summary summary(ResultSet rs) throws SQLException {
        return new Summary(rs.getLong("id"), rs.getString("site_code"), rs.getString("report_month"),
                Sql.getInstant(rs, "created_at"), ReportTrigger.fromDb(rs.getString("trigger_kind")),
                rs.getString("requested_by"));
    }
}
