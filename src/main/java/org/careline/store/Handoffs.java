package org.careline.store;

import org.careline.store.crypto.FieldCipher;
import org.careline.model.HandoffEventKind;
import org.careline.model.HandoffStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Staff handoffs as triage work items (staff_handoff) and their trail (handoff_event). Every change is one
 * conditional UPDATE on the item's status that bumps its version, so two people (or two engines) acting on one item at
 * once never both succeed: the loser's UPDATE finds the status moved and changes nothing. Rows hold PHI (the phone):
 * callers log ids only.
 */
public final class Handoffs {

    private final FieldCipher cipher;

    /** @param cipher hashes and seals the number, seals staff's words, opens names and the patient's words */
    public Handoffs(FieldCipher cipher) {
        this.cipher = cipher;
    }

    private static final String OPEN = HandoffStatus.OPEN.name();
    private static final String CLAIMED = HandoffStatus.CLAIMED.name();
    private static final String RESOLVED = HandoffStatus.RESOLVED.name();
    private static final String COLUMNS = "h.id, h.phone_e164, h.phone_sealed, h.appointment_id, h.inbound_reply_id, h.reason, "
            + "h.urgent, h.queue, h.site_code, h.status, h.created_at, h.due_at, h.escalate_at, h.escalated_at, "
            + "h.claimed_by, h.claimed_at, h.first_answer_at, h.resolved_at, h.resolved_by, h.version";

    /** A new item: the message that opened it, its queue and site, when it is due and (emergencies) escalates. */
    public record NewHandoff(String phone, Long appointmentId, long inboundReplyId, String reason, boolean urgent,
                             String queue, String site, Instant dueAt, Instant escalateAt) {
    }

    /** One stored item. Holds PHI (the phone): never log it. */
    public record Handoff(long id, String phone, Long appointmentId, Long inboundReplyId, String reason,
                          boolean urgent, String queue, String site, HandoffStatus status, Instant createdAt,
                          Instant dueAt, Instant escalateAt, Instant escalatedAt, String claimedBy, Instant claimedAt,
                          Instant firstAnswerAt, Instant resolvedAt, String resolvedBy, int version) {

        /** Not resolved, and its SLA has run out at {@code now}. */
        public boolean overdue(Instant now) {
            return status != HandoffStatus.RESOLVED && dueAt != null && !now.isBefore(dueAt);
        }
    }

    /** One step of an item's trail. body: staff's words (PHI). */
    public record Event(long id, long handoffId, HandoffEventKind kind, String actor, String body, Long outboxId,
                        Long inboundReplyId, Instant at) {
    }

    /** Open, claimed and overdue items of one queue at one site. */
    public record QueueCount(String site, String queue, int open, int claimed, int overdue) {
    }

    /** One of the patient's messages: what they wrote and when. PHI. */
    public record PatientWords(long replyId, String text, Instant receivedAt) {
    }

    /** The patient a handoff is about, as far as known (id and name null when no patient has the number). PHI. */
    public record PatientRef(Long id, String givenName, String familyName) {
    }

    /** The appointment a handoff is about. */
    public record AppointmentRow(long id, Instant startAt, String service, String provider, String location,
                                 String status) {
    }

    public long insert(Connection c, NewHandoff h, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_handoff (phone_e164, appointment_id, "
                + "inbound_reply_id, reason, urgent, created_at, queue, site_code, status, due_at, escalate_at, "
                + "version, phone_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '" + OPEN + "', ?, ?, 0, ?)",
                new String[]{"id"})) {
            ps.setString(1, cipher.lookupHash(FieldCipher.PHONE, h.phone()));
            ps.setString(11, cipher.sealPair("staff_handoff.phone_sealed", h.phone()));
            Sql.setLong(ps, 2, h.appointmentId());
            ps.setLong(3, h.inboundReplyId());
            ps.setString(4, h.reason());
            ps.setBoolean(5, h.urgent());
            Sql.setInstant(ps, 6, now);
            ps.setString(7, h.queue());
            ps.setString(8, h.site());
            Sql.setInstant(ps, 9, h.dueAt());
            Sql.setInstant(ps, 10, h.escalateAt());
            return Sql.executeForId(ps);
        }
    }

    public Optional<Handoff> find(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM staff_handoff h WHERE h.id = ?", id);
    }

    /**
     * The item, locked until the transaction ends: a staff action reads it, decides, and writes, and nothing else
     * changes it in between.
     */
    public Optional<Handoff> lock(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM staff_handoff h WHERE h.id = ? FOR UPDATE", id);
    }

    /** The newest OPEN or CLAIMED item of {@code queue} for this number: where a further message is added. */
    public Optional<Handoff> active(Connection c, String phone, String queue) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM staff_handoff h WHERE h.phone_e164 IN (?, ?) AND h.queue = ? "
                + "AND h.status IN ('" + OPEN + "', '" + CLAIMED + "') ORDER BY h.id DESC FETCH FIRST 1 ROWS ONLY",
                cipher.lookupHash(FieldCipher.PHONE, phone), phone, queue);
    }

    /**
     * Items, newest first, filtered by whatever is not null: queue, status, site; and limited to
     * {@code allowedSites} (null: every site; empty: none).
     */
    public List<Handoff> list(Connection c, String queue, HandoffStatus status, String site, Set<String> allowedSites,
                              int limit) throws SQLException {
        if (allowedSites != null && allowedSites.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM staff_handoff h WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (queue != null) {
            sql.append(" AND h.queue = ?");
            args.add(queue);
        }
        if (status != null) {
            sql.append(" AND h.status = ?");
            args.add(status.name());
        }
        if (site != null) {
            sql.append(" AND h.site_code = ?");
            args.add(site);
        }
        inSites(sql, args, allowedSites);
        sql.append(" ORDER BY h.id DESC FETCH FIRST ").append(Math.max(1, Math.min(limit, 1000))).append(" ROWS ONLY");
        return many(c, sql.toString(), args.toArray());
    }

    /** Per site and queue, the items not resolved: open, claimed, and how many of them are past due at {@code now}. */
    public List<QueueCount> counts(Connection c, Set<String> allowedSites, Instant now) throws SQLException {
        if (allowedSites != null && allowedSites.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT h.site_code, h.queue, "
                + "SUM(CASE WHEN h.status = '" + OPEN + "' THEN 1 ELSE 0 END) AS open_count, "
                + "SUM(CASE WHEN h.status = '" + CLAIMED + "' THEN 1 ELSE 0 END) AS claimed_count, "
                + "SUM(CASE WHEN h.due_at <= ? THEN 1 ELSE 0 END) AS overdue_count "
                + "FROM staff_handoff h WHERE h.status IN ('" + OPEN + "', '" + CLAIMED + "')");
        List<Object> args = new ArrayList<>();
        args.add(now);
        inSites(sql, args, allowedSites);
        sql.append(" GROUP BY h.site_code, h.queue ORDER BY h.site_code, h.queue");
        try (PreparedStatement ps = prepare(c, sql.toString(), args.toArray()); ResultSet rs = ps.executeQuery()) {
            List<QueueCount> counts = new ArrayList<>();
            while (rs.next()) {
                counts.add(new QueueCount(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5)));
            }
            return counts;
        }
    }

    /**
     * Claims an OPEN item for {@code user}: one conditional UPDATE, so of two people claiming at once exactly one
     * gets true.
     */
    public boolean claim(Connection c, long id, String user, Instant now) throws SQLException {
        return update(c, "UPDATE staff_handoff SET status = '" + CLAIMED + "', claimed_by = ?, claimed_at = ?, "
                + "version = version + 1 WHERE id = ? AND status = '" + OPEN + "'", user, now, id) == 1;
    }

    /** Gives a CLAIMED item back to its queue (OPEN, unclaimed) when {@code user} holds it. */
    public boolean release(Connection c, long id, String user, Instant now) throws SQLException {
        return update(c, "UPDATE staff_handoff SET status = '" + OPEN + "', claimed_by = NULL, claimed_at = NULL, "
                + "version = version + 1 WHERE id = ? AND status = '" + CLAIMED + "' AND claimed_by = ?", id, user) == 1;
    }

    /** Resolves an item that is not resolved yet. */
    public boolean resolve(Connection c, long id, String user, Instant now) throws SQLException {
        return update(c, "UPDATE staff_handoff SET status = '" + RESOLVED + "', resolved_at = ?, resolved_by = ?, "
                + "version = version + 1 WHERE id = ? AND status <> '" + RESOLVED + "'", now, user, id) == 1;
    }

    /** Staff answered the patient: first_answer_at is set by the first answer only. */
    public void answered(Connection c, long id, Instant now) throws SQLException {
        update(c, "UPDATE staff_handoff SET first_answer_at = COALESCE(first_answer_at, ?), version = version + 1 "
                + "WHERE id = ?", now, id);
    }

    /** Something was added to the item (a note, a message): its version moves so a stale view can tell. */
    public void touched(Connection c, long id) throws SQLException {
        update(c, "UPDATE staff_handoff SET version = version + 1 WHERE id = ?", id);
    }

    /**
     * Items whose escalation may be due at {@code now} and that were never escalated: not resolved and past their
     * SLA (items without an escalation time), or emergencies still OPEN past their escalation time.
     */
    public List<Handoff> escalationsDue(Connection c, Instant now, int limit) throws SQLException {
        return many(c, "SELECT " + COLUMNS + " FROM staff_handoff h WHERE h.escalated_at IS NULL AND ("
                + "(h.escalate_at IS NULL AND h.status <> '" + RESOLVED + "' AND h.due_at <= ?) "
                + "OR (h.escalate_at IS NOT NULL AND h.status = '" + OPEN + "' AND h.escalate_at <= ?)) "
                + "ORDER BY h.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", now, now);
    }

    /**
     * Stamps the item escalated if no one (no other engine) has: true means this caller raises its alert. The
     * conditions are checked again, so an item claimed or resolved since it was read is left alone.
     */
    public boolean markEscalated(Connection c, long id, Instant now) throws SQLException {
        return update(c, "UPDATE staff_handoff SET escalated_at = ?, version = version + 1 WHERE id = ? "
                + "AND escalated_at IS NULL AND ("
                + "(escalate_at IS NULL AND status <> '" + RESOLVED + "' AND due_at <= ?) "
                + "OR (escalate_at IS NOT NULL AND status = '" + OPEN + "' AND escalate_at <= ?))",
                now, id, now, now) == 1;
    }

    public long addEvent(Connection c, long handoffId, HandoffEventKind kind, String actor, String body,
                         Long outboxId, Long inboundReplyId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO handoff_event (handoff_id, kind, actor, body, "
                + "outbox_id, inbound_reply_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setLong(1, handoffId);
            ps.setString(2, kind.name());
            ps.setString(3, Sql.cap(actor, 100));
            ps.setString(4, cipher.seal("handoff_event.body", Sql.cap(body, 4000)));
            Sql.setLong(ps, 5, outboxId);
            Sql.setLong(ps, 6, inboundReplyId);
            Sql.setInstant(ps, 7, at);
            return Sql.executeForId(ps);
        }
    }

    /** The item's trail, oldest first. */
    public List<Event> events(Connection c, long handoffId) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT id, handoff_id, kind, actor, body, outbox_id, inbound_reply_id, "
                + "at FROM handoff_event WHERE handoff_id = ? ORDER BY id", handoffId); ResultSet rs = ps.executeQuery()) {
            List<Event> events = new ArrayList<>();
            while (rs.next()) {
                long outbox = rs.getLong("outbox_id");
                Long outboxId = rs.wasNull() ? null : outbox;
                long reply = rs.getLong("inbound_reply_id");
                Long replyId = rs.wasNull() ? null : reply;
                events.add(new Event(rs.getLong("id"), rs.getLong("handoff_id"),
                        HandoffEventKind.valueOf(rs.getString("kind")), rs.getString("actor"),
                        cipher.open("handoff_event.body", rs.getString("body")),
                        outboxId, replyId, Sql.getInstant(rs, "at")));
            }
            return events;
        }
    }

    /** The patient's messages on the item: the one that opened it and every one added since, oldest first. */
    public List<PatientWords> patientWords(Connection c, long handoffId) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT r.id, r.content, COALESCE(r.sent_at, r.recorded_at) AS at "
                + "FROM inbound_reply r WHERE r.id IN (SELECT h.inbound_reply_id FROM staff_handoff h WHERE h.id = ?) "
                + "OR r.id IN (SELECT e.inbound_reply_id FROM handoff_event e WHERE e.handoff_id = ?) "
                + "ORDER BY r.id", handoffId, handoffId); ResultSet rs = ps.executeQuery()) {
            List<PatientWords> words = new ArrayList<>();
            while (rs.next()) {
                words.add(new PatientWords(rs.getLong(1), cipher.open("inbound_reply.content", rs.getString(2)),
                        Sql.getInstant(rs, "at")));
            }
            return words;
        }
    }

    /**
     * When this number last wrote to us, as far as the database knows: the later of contact_preference's
     * last_inbound_at and its newest stored message. Null when it never did.
     */
    public Instant lastInbound(Connection c, String phone) throws SQLException {
        Instant last = null;
        String hash = cipher.lookupHash(FieldCipher.PHONE, phone);
        try (PreparedStatement ps = prepare(c, "SELECT last_inbound_at FROM contact_preference "
                + "WHERE phone_e164 IN (?, ?)", hash, phone); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                last = Sql.getInstant(rs, "last_inbound_at");
            }
        }
        try (PreparedStatement ps = prepare(c, "SELECT MAX(sent_at) AS at FROM inbound_reply "
                + "WHERE from_phone IN (?, ?)", hash, phone); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                Instant sent = Sql.getInstant(rs, "at");
                if (sent != null && (last == null || sent.isAfter(last))) {
                    last = sent;
                }
            }
        }
        return last;
    }

    /** The patient of the item: its appointment's, else the most recently updated one with the number. */
    public PatientRef patientOf(Connection c, Handoff h) throws SQLException {
        String sql = h.appointmentId() != null
                ? "SELECT p.id, p.given_name, p.family_name FROM appointment a JOIN patient p ON p.id = a.patient_id "
                        + "WHERE a.id = ?"
                : "SELECT p.id, p.given_name, p.family_name FROM patient p WHERE p.phone_e164 IN (?, ?) "
                        + "ORDER BY p.updated_at DESC FETCH FIRST 1 ROWS ONLY";
        Object[] args = h.appointmentId() != null ? new Object[]{h.appointmentId()}
                : new Object[]{cipher.lookupHash(FieldCipher.PHONE, h.phone()), h.phone()};
        try (PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new PatientRef(rs.getLong(1), cipher.open("patient.given_name", rs.getString(2)),
                    cipher.open("patient.family_name", rs.getString(3)))
                    : new PatientRef(null, null, null);
        }
    }

    public Optional<AppointmentRow> appointment(Connection c, long appointmentId) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT id, start_at, service_name, provider_name, location_name, "
                + "status FROM appointment WHERE id = ?", appointmentId); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new AppointmentRow(rs.getLong(1), Sql.getInstant(rs, "start_at"),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))) : Optional.empty();
        }
    }

    private static void inSites(StringBuilder sql, List<Object> args, Collection<String> allowedSites) {
        if (allowedSites == null) {
            return;
        }
        sql.append(" AND h.site_code IN (");
        int i = 0;
        for (String s : allowedSites) {
            sql.append(i++ == 0 ? "?" : ", ?");
            args.add(s);
        }
        sql.append(')');
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Instant t) {
                    Sql.setInstant(ps, i + 1, t);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private Optional<Handoff> one(Connection c, String sql, Object... args) throws SQLException {
        List<Handoff> rows = many(c, sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<Handoff> many(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<Handoff> rows = new ArrayList<>();
            while (rs.next()) {
                long appointment = rs.getLong("appointment_id");
                Long appointmentId = rs.wasNull() ? null : appointment;
                long reply = rs.getLong("inbound_reply_id");
                Long replyId = rs.wasNull() ? null : reply;
                rows.add(new Handoff(rs.getLong("id"), cipher.openPair("staff_handoff.phone_sealed",
                        rs.getString("phone_sealed"), rs.getString("phone_e164")), appointmentId, replyId,
                        rs.getString("reason"), rs.getBoolean("urgent"), rs.getString("queue"),
                        rs.getString("site_code"), HandoffStatus.fromDb(rs.getString("status")),
                        Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "due_at"),
                        Sql.getInstant(rs, "escalate_at"), Sql.getInstant(rs, "escalated_at"),
                        rs.getString("claimed_by"), Sql.getInstant(rs, "claimed_at"),
                        Sql.getInstant(rs, "first_answer_at"), Sql.getInstant(rs, "resolved_at"),
                        rs.getString("resolved_by"), rs.getInt("version")));
            }
            return rows;
        }
    }
}
