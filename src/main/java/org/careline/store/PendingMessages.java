package org.careline.store;

import org.careline.model.OutboxStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the outbox will send next: PENDING rows by due time, for {@code careline pending}. Ids, kinds, sites and
 * times only; no recipient, name or body is read.
 */
public final class PendingMessages {

    /** The last error of a row that is waiting on purpose starts with this (e.g. {@code Outbox.HELD_FOR_CONSENT}). */
    private static final String HELD_PREFIX = "held";

    /**
     * One waiting message.
     *
     * @param appointmentId the appointment it is about, or null (a result notice or a free reply)
     * @param noticeId      the result notice it announces, or null
     * @param site          the appointment's or notice's site code, or null
     * @param held          why it is held back (e.g. awaiting consent), or null when it just waits for its time
     */
    public record Pending(long outboxId, Long appointmentId, Long noticeId, String kind, String label, String site,
                          Instant dueAt, int attempts, String held) {
    }

    /** @param site only this site's messages, or null for all */
    public List<Pending> next(Connection c, int limit, String site) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.appointment_id, o.result_notice_id, o.kind, "
                + "o.label, COALESCE(a.site_code, rn.site_code) AS site, o.due_at, o.attempts, o.error_reason "
                + "FROM outbox o LEFT JOIN appointment a ON a.id = o.appointment_id "
                + "LEFT JOIN result_notice rn ON rn.id = o.result_notice_id "
                + "WHERE o.status = '" + OutboxStatus.PENDING.dbValue() + "' "
                + (site == null ? "" : "AND COALESCE(a.site_code, rn.site_code) = ? ")
                + "ORDER BY o.due_at, o.id")) {
            if (site != null) {
                ps.setString(1, site);
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long appointment = rs.getLong(2);
                    Long appointmentId = rs.wasNull() ? null : appointment;
                    long notice = rs.getLong(3);
                    Long noticeId = rs.wasNull() ? null : notice;
                    String reason = rs.getString(9);
                    out.add(new Pending(rs.getLong(1), appointmentId, noticeId, rs.getString(4), rs.getString(5),
                            rs.getString(6), Sql.getInstant(rs, "due_at"), rs.getInt(8),
                            reason != null && reason.startsWith(HELD_PREFIX) ? reason : null));
                }
            }
        }
        return out;
    }
}
