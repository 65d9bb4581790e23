package org.careline.store;

import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One patient's history for staff, read from where each part keeps it: the patient's appointments and their
 * events, what was sent to them (outbox), what they wrote (inbound_reply, by their WhatsApp number), their staff
 * handoffs and every step on them, and the write-backs to the scheduling system. Holds PHI (names, numbers, what
 * patients and staff wrote): shown to staff, never logged.
 */
public final class PatientHistory {

    private final FieldCipher cipher;

    /** @param cipher opens names, the number and the texts; hashes the number for lookups */
    public PatientHistory(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** The patient as staff see them. {@code optedOut}: on the patient row or for their number (STOP). */
    public record Person(long id, String givenName, String familyName, String phone, String language,
                         boolean optedOut) {
    }

    /**
     * One thing that happened, for the timeline.
     *
     * @param type   appointment, outbound, inbound, handoff or writeback
     * @param text   what was written (a sent free-form message, the patient's words, a staff's note or answer), or
     *               null
     * @param status the state or outcome (event type, outbox status and delivery status, intent, handoff step,
     *               write-back status)
     * @param ref    the row it comes from, as "table:id" (appointment:3, outbox:12, reply:7, handoff:4,
     *               writeback:9)
     * @param label  what it was (template label, handoff queue, write-back action), or null
     * @param actor  the staff member who took a handoff step, or null
     */
    public record Entry(Instant at, String type, String text, String status, String ref, String label,
                        String actor) {
    }

    public Optional<Person> person(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.id, p.given_name, p.family_name, p.phone_e164, "
                + "p.phone_sealed, p.language, p.opted_out, cp.opted_out AS number_opted_out FROM patient p "
                + "LEFT JOIN contact_preference cp ON cp.phone_e164 = p.phone_e164 WHERE p.id = ?")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Person(rs.getLong("id"), cipher.open("patient.given_name",
                        rs.getString("given_name")), cipher.open("patient.family_name", rs.getString("family_name")),
                        cipher.openPair("patient.phone_sealed", rs.getString("phone_sealed"),
                                rs.getString("phone_e164")), rs.getString("language"),
                        rs.getBoolean("opted_out") || rs.getBoolean("number_opted_out")));
            }
        }
    }

    /** The newest {@code limit} entries of the patient's history, newest first. */
    public List<Entry> entries(Connection c, Person p, int limit) throws SQLException {
        int n = Math.max(0, limit);
        String hash = cipher.lookupHash(FieldCipher.PHONE, p.phone());
        List<Entry> all = new ArrayList<>();
        String appointments = "SELECT id FROM appointment WHERE patient_id = ?";
        all.addAll(read(c, "SELECT e.recorded_at AS at, NULL AS text, e.event_type AS status, "
                + "'appointment:' || CAST(e.appointment_id AS VARCHAR(20)) AS ref, a.service_name AS label, "
                + "NULL AS actor FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id "
                + "WHERE a.patient_id = ? ORDER BY e.recorded_at DESC, e.id DESC FETCH FIRST " + n + " ROWS ONLY",
                "appointment", null, p.id()));
        // A message waiting to go out stands at its due time; one that went out at the time it was sent.
        String outboxAt = "CASE WHEN o.status IN ('PENDING', 'SENDING') THEN o.due_at ELSE COALESCE((SELECT "
                + "MIN(m.recorded_at) FROM message_event m WHERE m.outbox_id = o.id AND m.event = 'sent'), "
                + "o.updated_at) END";
        String outboxWhere = "o.appointment_id IN (" + appointments + ") OR o.result_notice_id IN "
                + "(SELECT id FROM result_notice WHERE patient_id = ?)"
                + (p.phone() == null ? "" : " OR o.recipient_phone IN (?, ?)");
        Object[] outboxArgs = p.phone() == null ? new Object[]{p.id(), p.id()}
                : new Object[]{p.id(), p.id(), hash, p.phone()};
        all.addAll(read(c, "SELECT " + outboxAt + " AS at, o.body AS text, o.status || CASE WHEN "
                + "o.delivery_status IS NULL THEN '' ELSE '/' || o.delivery_status END AS status, "
                + "'outbox:' || CAST(o.id AS VARCHAR(20)) AS ref, o.label AS label, NULL AS actor FROM outbox o "
                + "WHERE " + outboxWhere + " ORDER BY at DESC, o.id DESC FETCH FIRST " + n + " ROWS ONLY",
                "outbound", "outbox.body", outboxArgs));
        if (p.phone() != null) {
            all.addAll(read(c, "SELECT COALESCE(r.sent_at, r.recorded_at) AS at, r.content AS text, "
                    + "r.intent AS status, 'reply:' || CAST(r.id AS VARCHAR(20)) AS ref, r.message_type AS label, "
                    + "NULL AS actor FROM inbound_reply r WHERE r.from_phone IN (?, ?) "
                    + "ORDER BY at DESC, r.id DESC FETCH FIRST " + n + " ROWS ONLY", "inbound",
                    "inbound_reply.content", hash, p.phone()));
        }
        String handoffs = "SELECT id FROM staff_handoff WHERE appointment_id IN (" + appointments + ")"
                + (p.phone() == null ? "" : " OR phone_e164 IN (?, ?)");
        Object[] handoffArgs = p.phone() == null ? new Object[]{p.id()} : new Object[]{p.id(), hash, p.phone()};
        all.addAll(read(c, "SELECT h.created_at AS at, NULL AS text, h.status AS status, "
                + "'handoff:' || CAST(h.id AS VARCHAR(20)) AS ref, h.queue AS label, NULL AS actor "
                + "FROM staff_handoff h WHERE h.id IN (" + handoffs + ") ORDER BY h.created_at DESC, h.id DESC "
                + "FETCH FIRST " + n + " ROWS ONLY", "handoff", null, handoffArgs));
        all.addAll(read(c, "SELECT e.at AS at, e.body AS text, e.kind AS status, "
                + "'handoff:' || CAST(e.handoff_id AS VARCHAR(20)) AS ref, NULL AS label, e.actor AS actor "
                + "FROM handoff_event e WHERE e.handoff_id IN (" + handoffs + ") ORDER BY e.at DESC, e.id DESC "
                + "FETCH FIRST " + n + " ROWS ONLY", "handoff", "handoff_event.body", handoffArgs));
        all.addAll(read(c, "SELECT w.updated_at AS at, NULL AS text, w.status || CASE WHEN w.ack_code IS NULL "
                + "THEN '' ELSE '/' || w.ack_code END AS status, 'writeback:' || CAST(w.id AS VARCHAR(20)) AS ref, "
                + "w.action AS label, NULL AS actor FROM writeback_request w WHERE w.appointment_id IN ("
                + appointments + ") ORDER BY w.updated_at DESC, w.id DESC FETCH FIRST " + n + " ROWS ONLY",
                "writeback", null, p.id()));
        all.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.reverseOrder())));
        return all.size() > n ? new ArrayList<>(all.subList(0, n)) : all;
    }

    /** The patient a handoff is about: its appointment's, else the patient with its number (latest updated). */
    public Optional<Long> patientOfHandoff(Connection c, long handoffId) throws SQLException {
        return one(c, "SELECT COALESCE(a.patient_id, (SELECT p.id FROM patient p WHERE p.phone_e164 = h.phone_e164 "
                + "ORDER BY p.updated_at DESC, p.id DESC FETCH FIRST 1 ROWS ONLY)) FROM staff_handoff h "
                + "LEFT JOIN appointment a ON a.id = h.appointment_id WHERE h.id = ?", handoffId);
    }

    public Optional<Long> patientOfAppointment(Connection c, long appointmentId) throws SQLException {
        return one(c, "SELECT patient_id FROM appointment WHERE id = ?", appointmentId);
    }

    private static Optional<Long> one(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(v);
            }
        }
    }

    /** @param textColumn the sealed column the entries' text comes from, null when they have none */
    private List<Entry> read(Connection c, String sql, String type, String textColumn, Object... args)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setString(i + 1, (String) args[i]);
                }
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString("text");
                    out.add(new Entry(Sql.getInstant(rs, "at"), type, textColumn == null ? text
                            : cipher.open(textColumn, text), rs.getString("status"),
                            rs.getString("ref"), rs.getString("label"), rs.getString("actor")));
                }
            }
            return out;
        }
    }
}
