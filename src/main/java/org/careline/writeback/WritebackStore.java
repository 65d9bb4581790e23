package org.careline.writeback;

import org.careline.model.PatientMessage;
import org.careline.model.WritebackSubject;
import org.careline.model.WritebackAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The write-back queue as the sender works it: which requests are due (in order per appointment), claiming one
 * (so that engines sharing a database never send the same request twice at once), and recording the answer.
 * Statuses: PENDING (waiting, maybe for a retry), SENDING (claimed), DONE, REJECTED, FAILED.
 */
public final class WritebackStore {

    public static final String PENDING = WritebackQueue.PENDING;
    public static final String SENDING = "SENDING";
    public static final String DONE = "DONE";
    public static final String REJECTED = "REJECTED";
    /** The message could not be built from the mapping in the feed's version: needs a person, not a retry. */
    public static final String FAILED = "FAILED";

    /**
     * One claimed request with everything its message needs.
     *
     * @param siteCode the appointment's site (mappings/sites.yaml), or null
     * @param message  the patient's message the request came from (with a RECORD_MESSAGE), or null
     */
    public record Due(long id, long appointmentId, WritebackAction action, int attempts, String controlId,
                      WritebackSubject subject, String siteCode, PatientMessage message) {
    }

    /**
     * Ids of requests that may be sent now, oldest first: due PENDING ones and SENDING ones whose claim lapsed (an
     * engine died mid-send), but never one with an earlier request for the same appointment still unanswered.
     */
    public List<Long> due(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT w.id FROM writeback_request w "
                + "WHERE ((w.status = 'PENDING' AND w.due_at <= ?) OR (w.status = 'SENDING' AND w.claimed_until < ?)) "
                + "AND NOT EXISTS (SELECT 1 FROM writeback_request e WHERE e.appointment_id = w.appointment_id "
                + "AND e.id < w.id AND e.status IN ('PENDING', 'SENDING')) "
                + "ORDER BY w.id FETCH FIRST " + limit + " ROWS ONLY")) {
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /**
     * Claims a due request for {@code lease}; gives it {@code controlId} unless it has one from an earlier attempt
     * (a resend keeps its MSH-10). False if another engine has it or it is no longer due.
     */
    public boolean claim(Connection c, long id, String owner, String controlId, Instant now, Duration lease)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE writeback_request SET status = 'SENDING', "
                + "claimed_by = ?, claimed_until = ?, control_id = COALESCE(control_id, ?), updated_at = ? "
                + "WHERE id = ? AND ((status = 'PENDING' AND due_at <= ?) OR (status = 'SENDING' AND claimed_until < ?))")) {
            ps.setString(1, owner);
            setInstant(ps, 2, now.plus(lease));
            ps.setString(3, controlId);
            setInstant(ps, 4, now);
            ps.setLong(5, id);
            setInstant(ps, 6, now);
            setInstant(ps, 7, now);
            return ps.executeUpdate() == 1;
        }
    }

    public Due load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT w.id, w.appointment_id, w.action, w.attempts, "
                + "w.control_id, a.source, a.feed_version, a.external_id, a.placer_id, a.filler_id, a.start_at, "
                + "a.duration_min, a.service_code, a.service_name, a.site_code, p.identifier, p.id_authority, "
                + "p.given_name, p.family_name, r.id AS reply_id, r.content, r.sent_at, r.recorded_at "
                + "FROM writeback_request w JOIN appointment a ON a.id = w.appointment_id "
                + "JOIN patient p ON p.id = a.patient_id LEFT JOIN inbound_reply r ON r.id = w.inbound_reply_id "
                + "WHERE w.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("writeback_request " + id + " not found");
                }
                OffsetDateTime start = rs.getObject("start_at", OffsetDateTime.class);
                int duration = rs.getInt("duration_min");
                Integer durationMinutes = rs.wasNull() ? null : duration;
                WritebackSubject subject = new WritebackSubject(rs.getString("source"), rs.getString("feed_version"),
                        rs.getString("external_id"), rs.getString("placer_id"), rs.getString("filler_id"),
                        rs.getString("identifier"), rs.getString("id_authority"), rs.getString("given_name"),
                        rs.getString("family_name"), start == null ? null : start.toInstant(), durationMinutes,
                        rs.getString("service_code"), rs.getString("service_name"));
                rs.getLong("reply_id");
                PatientMessage message = rs.wasNull() ? null : new PatientMessage(rs.getString("content"),
                        instant(rs, "sent_at"), instant(rs, "recorded_at"));
                return new Due(rs.getLong("id"), rs.getLong("appointment_id"),
                        WritebackAction.valueOf(rs.getString("action")), rs.getInt("attempts"),
                        rs.getString("control_id"), subject, rs.getString("site_code"), message);
            }
        }
    }

    /** The scheduling system answered: DONE or REJECTED, with the ACK code and text. */
    public void answered(Connection c, long id, String status, int attempts, String ackCode, String ackText,
                         Instant now) throws SQLException {
        finish(c, id, status, attempts, ackCode, ackText, null, now);
    }

    /** The FHIR server took every write: DONE, with what was written there ("AppointmentResponse/17 Task/18"). */
    public void written(Connection c, long id, int attempts, String remoteRef, Instant now) throws SQLException {
        finish(c, id, DONE, attempts, null, null, null, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE writeback_request SET remote_ref = ? WHERE id = ?")) {
            ps.setString(1, cap(remoteRef, 300));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The FHIR server refused a write (e.g. "HTTP 422: create AppointmentResponse"): REJECTED, never resent. */
    public void refused(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        finish(c, id, REJECTED, attempts, null, null, reason, now);
    }

    /**
     * Not sent because its channel is not configured (no MLLP address, or no FHIR server): stays PENDING, unclaimed
     * and with its attempts as they were, looked at again at {@code until} so it does not crowd others out meanwhile.
     */
    public void defer(Connection c, long id, Instant until, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE writeback_request SET status = 'PENDING', due_at = ?, "
                + "last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? "
                + "AND status IN ('PENDING', 'SENDING')")) {
            setInstant(ps, 1, until);
            ps.setString(2, cap(reason, 200));
            setInstant(ps, 3, now);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** Not answered: back to PENDING, due again at {@code retryAt}. */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE writeback_request SET status = 'PENDING', "
                + "attempts = ?, due_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? "
                + "WHERE id = ?")) {
            ps.setInt(1, attempts);
            setInstant(ps, 2, retryAt);
            ps.setString(3, cap(reason, 200));
            setInstant(ps, 4, now);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    /** Could not be built: FAILED with the reason (which names mapping keys, never values). */
    public void failed(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        finish(c, id, FAILED, attempts, null, null, reason, now);
    }

    private static void finish(Connection c, long id, String status, int attempts, String ackCode, String ackText,
                               String error, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE writeback_request SET status = ?, attempts = ?, "
                + "ack_code = ?, ack_text = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, "
                + "updated_at = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setInt(2, attempts);
            ps.setString(3, cap(ackCode, 2));
            ps.setString(4, cap(ackText, 600));
            ps.setString(5, cap(error, 200));
            setInstant(ps, 6, now);
            ps.setLong(7, id);
            ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void setInstant(PreparedStatement ps, int i, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
