package org.careline.store;

import org.careline.model.AuditEntry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail (audit_event): appended to, never updated. Each entry is one INSERT in the caller's transaction;
 * {@link AuditTrail} seals entries into the hash chain afterwards.
 */
public final class AuditLog {

    /** The actor of entries the engine writes itself: messages in and out. */
    public static final String ENGINE = "engine";

    /** A stored line of the trail. */
    public record Stored(long id, Instant at, String actor, String action, Long patientId, String subject,
                         String siteCode, String outcome, String detail) {
    }

    public void record(Connection c, AuditEntry e, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (at, actor, action, patient_id, subject, "
                + "site_code, outcome, detail, remote_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.setInstant(ps, 1, now);
            ps.setString(2, Sql.cap(e.actor(), 100));
            ps.setString(3, Sql.cap(e.action(), 60));
            Sql.setLong(ps, 4, e.patientId());
            ps.setString(5, Sql.cap(e.subject(), 200));
            ps.setString(6, Sql.cap(e.siteCode(), 100));
            ps.setString(7, Sql.cap(e.outcome(), 20));
            ps.setString(8, Sql.cap(e.detail(), 600));
            ps.setString(9, Sql.cap(e.remoteAddress(), 100));
            ps.executeUpdate();
        }
    }

    /**
     * An entry the engine writes itself, for a message in or out: {@code subject} is the row it stored
     * (inbound:12, webhook:34, fhir_work:5, outbox:7), {@code detail} ids and kinds only, never a body, name or number.
     */
    public void engine(Connection c, String action, String subject, String outcome, String detail, Instant now)
            throws SQLException {
        record(c, new AuditEntry(ENGINE, action, null, subject, null, outcome, detail, null), now);
    }

    /** Newest first; each filter may be null. */
    public List<Stored> find(Connection c, String actor, Long patientId, Instant from, Instant to, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, patient_id, subject, site_code, outcome, "
                + "detail FROM audit_event WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (actor != null) {
            sql.append(" AND actor = ?");
            args.add(actor);
        }
        if (patientId != null) {
            sql.append(" AND patient_id = ?");
            args.add(patientId);
        }
        if (from != null) {
            sql.append(" AND at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" AND at < ?");
            args.add(to);
        }
        sql.append(" ORDER BY id DESC");
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof Instant t) {
                    Sql.setInstant(ps, i + 1, t);
                } else {
                    ps.setObject(i + 1, args.get(i));
                }
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long patient = rs.getLong("patient_id");
                    out.add(new Stored(rs.getLong("id"), Sql.getInstant(rs, "at"), rs.getString("actor"),
                            rs.getString("action"), rs.wasNull() ? null : patient, rs.getString("subject"),
                            rs.getString("site_code"), rs.getString("outcome"), rs.getString("detail")));
                }
            }
        }
        return out;
    }
}
