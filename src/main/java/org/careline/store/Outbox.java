package org.careline.store;

import org.careline.model.ConsentValue;
import org.careline.model.DeliveryStatus;
import org.careline.model.PatientConsent;
import org.careline.model.AppointmentStatus;
import org.careline.model.DueMessage;
import org.careline.model.MessageContext;
import org.careline.model.OutboxStatus;
import org.careline.model.MessageKind;
import org.careline.model.PlannedMessage;
import org.careline.store.WorkQueue.Assignment;
import org.careline.store.crypto.FieldCipher;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox of automatic messages. A row moves PENDING → SENDING (claimed by one dispatcher) → SENT, or back to
 * PENDING with a later due time (retry), or to DEAD / SKIPPED / CANCELLED. Every move is logged in message_event.
 */
public final class Outbox {

    /** PENDING as written into the query text: a constant there, not a parameter, like the claim's own SQL. */
    private static final String WAITING = OutboxStatus.PENDING.dbValue();

    /** The outbox as a work queue: claimed by one dispatcher under a lease, its last error in error_reason. */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withStatus("outbox", "status", WAITING,
            OutboxStatus.SENDING.dbValue(), "due_at", "attempts", "claimed_by", "claimed_until", "error_reason", 600,
            "status, due_at, id"));

    private final FieldCipher cipher;

    /** @param cipher seals the number and body of replies; opens them, the names and instructions when loading */
    public Outbox(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** Queues a result/document notice (a template with no appointment), due at {@code dueAt}. */
    public long addNotice(Connection c, long resultNoticeId, MessageKind kind, Instant dueAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (result_notice_id, kind, label, due_at, "
                + "status, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, '" + WAITING + "', 0, ?, ?)",
                new String[]{"id"})) {
            ps.setLong(1, resultNoticeId);
            ps.setString(2, kind.name());
            ps.setString(3, Sql.cap(kind.key(), 30));
            Sql.setInstant(ps, 4, dueAt);
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, now);
            long id = Sql.executeForId(ps);
            logEvent(c, id, "queued", null, now);
            return id;
        }
    }

    /** Withdraws the notice's message if it has not gone out yet; returns how many rows were cancelled. */
    public int cancelPendingNotice(Connection c, long resultNoticeId, String reason, Instant now) throws SQLException {
        return cancelPendingOf(c, "result_notice_id", resultNoticeId, reason, now);
    }

    /** Queues the planned messages; returns their outbox ids, in the order given. */
    public List<Long> add(Connection c, long appointmentId, List<PlannedMessage> planned, Instant now)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (planned.isEmpty()) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (appointment_id, kind, label, due_at, "
                + "status, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, '" + WAITING + "', 0, ?, ?)",
                new String[]{"id"})) {
            for (PlannedMessage p : planned) {
                ps.setLong(1, appointmentId);
                ps.setString(2, p.kind().name());
                ps.setString(3, Sql.cap(p.label(), 30));
                Sql.setInstant(ps, 4, p.dueAt());
                Sql.setInstant(ps, 5, now);
                Sql.setInstant(ps, 6, now);
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet keys = ps.getGeneratedKeys();
                 PreparedStatement events = c.prepareStatement(
                         "INSERT INTO message_event (outbox_id, event, detail, recorded_at) VALUES (?, 'queued', NULL, ?)")) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                    events.setLong(1, keys.getLong(1));
                    Sql.setInstant(events, 2, now);
                    events.addBatch();
                }
                events.executeBatch();
            }
        }
        return ids;
    }

    /**
     * Queues a reply to a patient, due now: free-form (text, location) or a service text. {@code appointmentId}
     * may be null; {@code phone} is where it goes.
     */
    public long addReply(Connection c, Long appointmentId, String phone, MessageKind kind, String label, String body,
                         Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (appointment_id, recipient_phone, body, kind, "
                + "label, due_at, status, attempts, created_at, updated_at, recipient_sealed) "
                + "VALUES (?, ?, ?, ?, ?, ?, '" + WAITING + "', 0, ?, ?, ?)",
                new String[]{"id"})) {
            if (appointmentId == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, appointmentId);
            }
            ps.setString(2, cipher.lookupHash(FieldCipher.PHONE, phone));
            ps.setString(3, cipher.seal("outbox.body", Sql.cap(body, 4000)));
            ps.setString(4, kind.name());
            ps.setString(5, Sql.cap(label, 30));
            Sql.setInstant(ps, 6, now);
            Sql.setInstant(ps, 7, now);
            Sql.setInstant(ps, 8, now);
            ps.setString(9, cipher.sealPair("outbox.recipient_sealed", phone));
            long id = Sql.executeForId(ps);
            logEvent(c, id, "queued", null, now);
            return id;
        }
    }

    /** Cancels every message of the appointment that has not gone out yet; returns how many. */
    public int cancelPending(Connection c, long appointmentId, String reason, Instant now) throws SQLException {
        return cancelPendingOf(c, "appointment_id", appointmentId, reason, now);
    }

    /** Cancels the PENDING rows whose {@code column} (appointment_id or result_notice_id) is {@code owner}. */
    private int cancelPendingOf(Connection c, String column, long owner, String reason, Instant now)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM outbox WHERE " + column + " = ? AND status = '" + WAITING + "'")) {
            ps.setLong(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        int cancelled = 0;
        for (long id : ids) {
            if (transition(c, id, OutboxStatus.PENDING, OutboxStatus.CANCELLED, null, null, now) == 1) {
                logEvent(c, id, "cancelled", reason, now);
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * The oldest {@code limit} due messages. The ORDER BY repeats the constant {@code status} so that it matches
     * {@code ix_outbox_status_due} column for column: H2 then reads the index in order and stops after
     * {@code limit} rows, where {@code ORDER BY due_at, id} made it read and sort every due row.
     */
    public static String claimDueSql(int limit) {
        return QUEUE.waitingDueSql("id", limit);
    }

    /**
     * Claims up to {@code limit} due messages for {@code owner}. Each row is taken with a compare-and-set on its
     * status, so with several engines on one database every row goes to exactly one of them. Claims that a crashed
     * engine left behind become claimable again once their lease ends.
     */
    public List<Long> claimDue(DataSource ds, String owner, Instant now, Duration lease, int limit) throws SQLException {
        return QUEUE.claimBatch(ds, owner, now, lease, limit);
    }

    /**
     * The message with what deciding, rendering and sending it needs, in one query (a send makes no other reads):
     * its appointment's current data, or its result notice, and the patient's and the number's contact state.
     */
    public DueMessage load(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.appointment_id, o.kind, o.attempts, o.body, "
                + "a.status AS appointment_status, a.start_at, a.site_code, a.provider_name, a.instructions, "
                + "p.given_name, p.language, "
                + "o.result_notice_id, rn.reference AS portal_reference, rn.expires_at AS portal_expires_at, "
                + "rn.site_code AS notice_site_code, "
                + "o.recipient_phone, o.recipient_sealed, p.phone_e164, p.phone_sealed, "
                + "p.opted_out AS patient_opted_out, "
                + "cp.opted_out AS number_opted_out, cp.last_inbound_at, "
                + "p.id AS patient_id, p.consent, p.do_not_message, p.consent_requested_at "
                + "FROM outbox o LEFT JOIN appointment a ON a.id = o.appointment_id "
                + "LEFT JOIN result_notice rn ON rn.id = o.result_notice_id "
                + "LEFT JOIN patient p ON p.id = COALESCE(a.patient_id, rn.patient_id) "
                + "LEFT JOIN contact_preference cp ON cp.phone_e164 = COALESCE(o.recipient_phone, p.phone_e164) "
                + "WHERE o.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("outbox row " + id + " not found");
                }
                MessageKind kind = MessageKind.valueOf(rs.getString("kind"));
                boolean optedOut = rs.getBoolean("patient_opted_out") | rs.getBoolean("number_opted_out");
                String site = rs.getString("site_code") != null ? rs.getString("site_code")
                        : rs.getString("notice_site_code");
                return new DueMessage(rs.getLong("id"), kind, rs.getInt("attempts"), phone(rs),
                        rs.getString("language"), optedOut, Sql.getInstant(rs, "last_inbound_at"), site,
                        context(rs, kind), consent(rs));
            }
        }
    }

    /** Where the loaded row goes: the reply's own number, else the patient's (opened when sealed). */
    private String phone(ResultSet rs) throws SQLException {
        String recipient = rs.getString("recipient_phone");
        if (recipient != null) {
            return cipher.openPair("outbox.recipient_sealed", rs.getString("recipient_sealed"), recipient);
        }
        return cipher.openPair("patient.phone_sealed", rs.getString("phone_sealed"), rs.getString("phone_e164"));
    }

    /** The patient's consent as the loaded row found it; UNKNOWN when the row has no patient. */
    private static PatientConsent consent(ResultSet rs) throws SQLException {
        long patient = rs.getLong("patient_id");
        if (rs.wasNull()) {
            return PatientConsent.UNKNOWN;
        }
        return new PatientConsent(patient, ConsentValue.fromDb(rs.getString("consent")),
                rs.getBoolean("do_not_message"), rs.getObject("consent_requested_at") != null);
    }

    /** The context of the loaded row's kind: a reply, a result/document notice, or an appointment template. */
    private MessageContext context(ResultSet rs, MessageKind kind) throws SQLException {
        long appointment = rs.getLong("appointment_id");
        Long appointmentId = rs.wasNull() ? null : appointment;
        if (!kind.isTemplate()) {
            return new MessageContext.Reply(appointmentId, cipher.open("outbox.body", rs.getString("body")));
        }
        Long resultNoticeId = resultNotice(rs);
        if (resultNoticeId != null) {
            return new MessageContext.Notice(resultNoticeId, rs.getString("portal_reference"),
                    Sql.getInstant(rs, "portal_expires_at"), cipher.open("patient.given_name", rs.getString("given_name")));
        }
        return new MessageContext.Appointment(appointmentId,
                AppointmentStatus.fromDb(rs.getString("appointment_status")), Sql.getInstant(rs, "start_at"),
                rs.getString("provider_name"), cipher.open("appointment.instructions", rs.getString("instructions")),
                cipher.open("patient.given_name", rs.getString("given_name")));
    }

    private static Long resultNotice(ResultSet rs) throws SQLException {
        long v = rs.getLong("result_notice_id");
        return rs.wasNull() ? null : v;
    }

    /**
     * The Cloud API accepted the message as {@code wamid}. Delivery status starts over: what status webhooks said
     * of an earlier wamid of this row (a failed status that led to this re-send) is not about this one.
     */
    public void markSent(Connection c, long id, String wamid, int attempts, Instant now) throws SQLException {
        QUEUE.finish(c, id, OutboxStatus.SENT.dbValue(), attempts, null, now, Assignment.text("wamid", wamid, 200),
                Assignment.toNull("error_code"), Assignment.toNull("delivery_status"),
                Assignment.toNull("delivery_at"));
        logEvent(c, id, "sent", wamid, now);
        catchUpDeliveryStatus(c, id, wamid);
    }

    /**
     * A delivered/read webhook can be processed before the send that caused it is recorded (a local commit racing
     * Meta): the status was kept in message_status, and is applied here. Failed statuses keep their own path.
     */
    private void catchUpDeliveryStatus(Connection c, long id, String wamid) throws SQLException {
        String best = null;
        Instant at = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, occurred_at FROM message_status WHERE wamid = ? AND status IN ('"
                        + DeliveryStatus.DELIVERED.dbValue() + "', '" + DeliveryStatus.READ.dbValue() + "')")) {
            ps.setString(1, Sql.cap(wamid, 200));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (best == null || DeliveryStatus.READ.dbValue().equals(rs.getString(1))) {
                        best = rs.getString(1);
                        at = Sql.getInstant(rs, "occurred_at");
                    }
                }
            }
        }
        if (best != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET delivery_status = ?, delivery_at = ? WHERE id = ?")) {
                ps.setString(1, best);
                Sql.setInstant(ps, 2, at);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
        }
    }

    /** Back to PENDING, due again at {@code retryAt}. */
    public void markRetry(Connection c, long id, int attempts, Integer code, String reason, Instant retryAt,
                          Instant now) throws SQLException {
        QUEUE.retry(c, id, attempts, retryAt, reason, now, Assignment.integer("error_code", code));
        logEvent(c, id, "retry", reason, now);
    }

    /** Ends the message in {@code status} (DEAD or SKIPPED) with its reason. */
    public void markFinal(Connection c, long id, OutboxStatus status, int attempts, Integer code, String reason,
                          Instant now) throws SQLException {
        QUEUE.finish(c, id, status.dbValue(), attempts, reason, now, Assignment.integer("error_code", code));
        logEvent(c, id, status.dbValue().toLowerCase(java.util.Locale.ROOT), reason, now);
    }

    /**
     * Gives a message back to the queue untouched (sending is paused); due again at once when sending resumes. The
     * message is a claimed one, or a sent one that a failed status webhook says must go again.
     */
    public void release(Connection c, long id, Instant now) throws SQLException {
        QUEUE.release(c, id, null, null, now,
                List.of(OutboxStatus.SENDING.dbValue(), OutboxStatus.SENT.dbValue()));
        logEvent(c, id, "released", "sending paused", now);
    }

    /** A sent message as status webhooks see it: its outbox status, attempts so far and last delivery status. */
    public record Tracked(long id, OutboxStatus status, int attempts, DeliveryStatus deliveryStatus) {
    }

    /**
     * The rows sent as {@code wamid} (normally one), locked until the transaction ends, so statuses of one message
     * processed at the same time (by several engines) apply one after the other.
     */
    public List<Tracked> lockByWamid(Connection c, String wamid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status, attempts, delivery_status FROM outbox "
                + "WHERE wamid = ? ORDER BY id FOR UPDATE")) {
            ps.setString(1, wamid);
            try (ResultSet rs = ps.executeQuery()) {
                List<Tracked> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Tracked(rs.getLong(1), OutboxStatus.fromDb(rs.getString(2)), rs.getInt(3),
                            DeliveryStatus.fromDb(rs.getString(4))));
                }
                return rows;
            }
        }
    }

    /** What Meta's status webhooks say of the message now (sent, delivered or read), and since when. */
    public void setDeliveryStatus(Connection c, long id, DeliveryStatus deliveryStatus, Instant at, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET delivery_status = ?, delivery_at = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, deliveryStatus.dbValue());
            Sql.setInstant(ps, 2, at);
            Sql.setInstant(ps, 3, now);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** A status webhook says the message failed, with Meta's error code and reason. */
    public void setDeliveryFailed(Connection c, long id, Instant at, Integer errorCode, String errorReason, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET delivery_status = '"
                + DeliveryStatus.FAILED.dbValue() + "', delivery_at = ?, "
                + "error_code = ?, error_reason = ?, updated_at = ? WHERE id = ?")) {
            Sql.setInstant(ps, 1, at);
            Sql.setInteger(ps, 2, errorCode);
            ps.setString(3, Sql.cap(errorReason, 600));
            Sql.setInstant(ps, 4, now);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    private int transition(Connection c, long id, OutboxStatus from, OutboxStatus to, Integer code, String reason,
                           Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = ?, error_code = COALESCE(?, error_code), "
                + "error_reason = COALESCE(?, error_reason), updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, to.dbValue());
            Sql.setInteger(ps, 2, code);
            ps.setString(3, Sql.cap(reason, 600));
            Sql.setInstant(ps, 4, now);
            ps.setLong(5, id);
            ps.setString(6, from.dbValue());
            return ps.executeUpdate();
        }
    }

    /**
     * Logs a delivery status's event unless the same event with the same detail (the wamid) is logged already. The
     * status log's unique key makes a repeated status roll back before it gets here; this second look keeps the
     * history to one line each even if that row did not survive a crash while the event's did (a kill -9 during
     * webhook processing once left one status with two events on H2), so a status has its effect once whatever
     * the store recovered.
     */
    public void logEventOnce(Connection c, long outboxId, String event, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_event (outbox_id, event, detail, "
                + "recorded_at) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM message_event WHERE outbox_id = ? "
                + "AND event = ? AND detail = ?)")) {
            ps.setLong(1, outboxId);
            ps.setString(2, event);
            ps.setString(3, Sql.cap(detail, 600));
            Sql.setInstant(ps, 4, now);
            ps.setLong(5, outboxId);
            ps.setString(6, event);
            ps.setString(7, Sql.cap(detail, 600));
            ps.executeUpdate();
        }
    }

    public void logEvent(Connection c, long outboxId, String event, String detail, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO message_event (outbox_id, event, detail, recorded_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, outboxId);
            ps.setString(2, event);
            ps.setString(3, Sql.cap(detail, 600));
            Sql.setInstant(ps, 4, now);
            ps.executeUpdate();
        }
    }

    /** The last error of a message held for consent: how held rows are told from other waiting ones. */
    public static final String HELD_FOR_CONSENT = "held: awaiting consent";

    /**
     * Puts a claimed message back to wait for the patient's consent: due again at {@code until} (its cutoff or the
     * next look), marked {@link #HELD_FOR_CONSENT}; its attempts are unchanged (waiting is not failing).
     */
    public void hold(Connection c, long id, Instant until, Instant now) throws SQLException {
        QUEUE.release(c, id, until, HELD_FOR_CONSENT, now, List.of(OutboxStatus.SENDING.dbValue()));
        logEvent(c, id, "held", HELD_FOR_CONSENT, now);
    }

    /** The patient's messages that are still waiting (PENDING): their appointments' and their notices'. */
    private List<Long> pendingOfPatient(Connection c, long patientId, boolean heldOnly) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT o.id FROM outbox o "
                + "LEFT JOIN appointment a ON a.id = o.appointment_id "
                + "LEFT JOIN result_notice rn ON rn.id = o.result_notice_id "
                + "WHERE o.status = '" + WAITING + "' AND COALESCE(a.patient_id, rn.patient_id) = ?"
                + (heldOnly ? " AND o.error_reason = '" + HELD_FOR_CONSENT + "'" : "") + " ORDER BY o.id")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Consent arrived: the patient's held messages are due at once. Returns how many. */
    public int releaseHeld(Connection c, long patientId, Instant now) throws SQLException {
        int released = 0;
        for (long id : pendingOfPatient(c, patientId, true)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET due_at = ?, error_reason = NULL, "
                    + "updated_at = ? WHERE id = ? AND status = '" + WAITING + "'")) {
                Sql.setInstant(ps, 1, now);
                Sql.setInstant(ps, 2, now);
                ps.setLong(3, id);
                if (ps.executeUpdate() == 1) {
                    logEvent(c, id, "released", "consent granted", now);
                    released++;
                }
            }
        }
        return released;
    }

    /** Consent refused or withdrawn, or the patient is protected: every message still waiting is cancelled. */
    public int cancelPendingOfPatient(Connection c, long patientId, String reason, Instant now) throws SQLException {
        int cancelled = 0;
        for (long id : pendingOfPatient(c, patientId, false)) {
            if (transition(c, id, OutboxStatus.PENDING, OutboxStatus.CANCELLED, null, reason, now) == 1) {
                logEvent(c, id, "cancelled", reason, now);
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * Queues the opt-in template, due now, tied to the appointment or the result notice whose message is held (it
     * is rendered from that one's data, and a button press names that appointment).
     */
    public long addOptIn(Connection c, Long appointmentId, Long resultNoticeId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (appointment_id, result_notice_id, kind, "
                + "label, due_at, status, attempts, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, '" + WAITING + "', 0, ?, ?)", new String[]{"id"})) {
            Sql.setLong(ps, 1, appointmentId);
            Sql.setLong(ps, 2, resultNoticeId);
            ps.setString(3, MessageKind.OPT_IN.name());
            ps.setString(4, MessageKind.OPT_IN.key());
            Sql.setInstant(ps, 5, now);
            Sql.setInstant(ps, 6, now);
            Sql.setInstant(ps, 7, now);
            long id = Sql.executeForId(ps);
            logEvent(c, id, "queued", null, now);
            return id;
        }
    }

    /** Where a message comes from: its appointment and that appointment's site (each null for a reply to none). */
    public record Origin(Long appointmentId, String siteCode) {
    }

    public Origin origin(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT o.appointment_id, a.site_code FROM outbox o "
                + "LEFT JOIN appointment a ON a.id = o.appointment_id WHERE o.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Origin(null, null);
                }
                long appointment = rs.getLong(1);
                return new Origin(rs.wasNull() ? null : appointment, rs.getString(2));
            }
        }
    }
}
