package org.careline.store;

import org.careline.store.crypto.FieldCipher;
import org.careline.model.WritebackStatus;
import org.careline.model.PatientMessage;
import org.careline.model.WritebackAction;
import org.careline.model.WritebackSubject;
import org.careline.store.WorkQueue.Assignment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Requests to the scheduling system (writeback_request), queued in the caller's transaction and worked off by the
 * write-back sender: which are due (in order per appointment), claiming one (so that engines sharing a database
 * never send the same request twice at once), and recording the answer.
 * Statuses: PENDING (waiting, maybe for a retry), SENDING (claimed), DONE, REJECTED, FAILED.
 */
public final class WritebackRequests {

    private static final String PENDING = WritebackStatus.PENDING.dbValue();
    private static final String SENDING = WritebackStatus.SENDING.dbValue();

    /** writeback_request as a work queue: claimed by one engine under a lease, its last error in last_error. */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withStatus("writeback_request", "status", PENDING,
            SENDING, "due_at", "attempts", "claimed_by", "claimed_until", "last_error", 200, "status, due_at, id"));

    /** Queues a request, due at once; returns its id. */
    public long enqueue(Connection c, long appointmentId, WritebackAction action, Long inboundReplyId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO writeback_request (appointment_id, action, "
                + "inbound_reply_id, status, attempts, due_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, '" + PENDING + "', 0, ?, ?, ?)", new String[]{"id"})) {
            ps.setLong(1, appointmentId);
            ps.setString(2, action.name());
            Sql.setLong(ps, 3, inboundReplyId);
            Sql.setInstant(ps, 4, now);
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, now);
            return Sql.executeForId(ps);
        }
    }

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
        return QUEUE.claimable(c, now, limit, " AND NOT EXISTS (SELECT 1 FROM writeback_request e "
                + "WHERE e.appointment_id = w.appointment_id AND e.id < w.id AND e.status IN ('" + PENDING + "', '"
                + SENDING + "'))");
    }

    /**
     * Claims a due request for {@code lease}; gives it {@code controlId} unless it has one from an earlier attempt
     * (a resend keeps its MSH-10). False if another engine has it or it is no longer due.
     */
    public boolean claim(Connection c, long id, String owner, String controlId, Instant now, Duration lease)
            throws SQLException {
        return QUEUE.claim(c, id, owner, now, lease, Assignment.ifUnset("control_id", controlId));
    }

    private final FieldCipher cipher;

    /** @param cipher opens the MRN, names and the patient's words a write-back carries */
    public WritebackRequests(FieldCipher cipher) {
        this.cipher = cipher;
    }

    public Due load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT w.id, w.appointment_id, w.action, w.attempts, "
                + "w.control_id, a.source, a.feed_version, a.external_id, a.placer_id, a.filler_id, a.start_at, "
                + "a.duration_min, a.service_code, a.service_name, a.site_code, p.identifier, p.identifier_sealed, "
                + "p.id_authority, "
                + "p.given_name, p.family_name, r.id AS reply_id, r.content, r.sent_at, r.recorded_at "
                + "FROM writeback_request w JOIN appointment a ON a.id = w.appointment_id "
                + "JOIN patient p ON p.id = a.patient_id LEFT JOIN inbound_reply r ON r.id = w.inbound_reply_id "
                + "WHERE w.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("writeback_request " + id + " not found");
                }
                Instant start = Sql.getInstant(rs, "start_at");
                Integer durationMinutes = Sql.getInteger(rs, "duration_min");
                WritebackSubject subject = new WritebackSubject(rs.getString("source"), rs.getString("feed_version"),
                        rs.getString("external_id"), rs.getString("placer_id"), rs.getString("filler_id"),
                        cipher.openPair("patient.identifier_sealed", rs.getString("identifier_sealed"),
                                rs.getString("identifier")), rs.getString("id_authority"),
                        cipher.open("patient.given_name", rs.getString("given_name")),
                        cipher.open("patient.family_name", rs.getString("family_name")), start, durationMinutes,
                        rs.getString("service_code"), rs.getString("service_name"));
                rs.getLong("reply_id");
                PatientMessage message = rs.wasNull() ? null : new PatientMessage(
                        cipher.open("inbound_reply.content", rs.getString("content")),
                        Sql.getInstant(rs, "sent_at"), Sql.getInstant(rs, "recorded_at"));
                return new Due(rs.getLong("id"), rs.getLong("appointment_id"),
                        WritebackAction.valueOf(rs.getString("action")), rs.getInt("attempts"),
                        rs.getString("control_id"), subject, rs.getString("site_code"), message);
            }
        }
    }

    /** The scheduling system answered: DONE or REJECTED, with the ACK code and text. */
    public void answered(Connection c, long id, WritebackStatus status, int attempts, String ackCode, String ackText,
                         Instant now) throws SQLException {
        finish(c, id, status, attempts, ackCode, ackText, null, now);
    }

    /** The FHIR server took every write: DONE, with what was written there ("AppointmentResponse/17 Task/18"). */
    public void written(Connection c, long id, int attempts, String remoteRef, Instant now) throws SQLException {
        QUEUE.finish(c, id, WritebackStatus.DONE.dbValue(), attempts, null, now, Assignment.toNull("ack_code"),
                Assignment.toNull("ack_text"),
                Assignment.text("remote_ref", remoteRef, 300));
    }

    /** The FHIR server refused a write (e.g. "HTTP 422: create AppointmentResponse"): REJECTED, never resent. */
    public void refused(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        finish(c, id, WritebackStatus.REJECTED, attempts, null, null, reason, now);
    }

    /**
     * Not sent because its channel is not configured (no MLLP address, or no FHIR server): stays PENDING, unclaimed
     * and with its attempts as they were, looked at again at {@code until} so it does not crowd others out meanwhile.
     */
    public void defer(Connection c, long id, Instant until, String reason, Instant now) throws SQLException {
        QUEUE.release(c, id, until, reason, now, List.of(PENDING, SENDING));
    }

    /** Not answered: back to PENDING, due again at {@code retryAt}. */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String reason, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, retryAt, reason, now);
    }

    /** Could not be built: FAILED with the reason (which names mapping keys, never values). */
    public void failed(Connection c, long id, int attempts, String reason, Instant now) throws SQLException {
        finish(c, id, WritebackStatus.FAILED, attempts, null, null, reason, now);
    }

    private static void finish(Connection c, long id, WritebackStatus status, int attempts, String ackCode,
                               String ackText,
                               String error, Instant now) throws SQLException {
        QUEUE.finish(c, id, status.dbValue(), attempts, error, now, Assignment.text("ack_code", ackCode, 2),
                Assignment.text("ack_text", ackText, 600));
    }
}
