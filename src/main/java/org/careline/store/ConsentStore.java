package org.careline.store;

import org.careline.model.AuditEntry;
import org.careline.model.ConsentValue;
import org.careline.model.PatientConsent;
import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Patients' consent to be messaged: the state on the patient row (consent, do_not_message, consent_requested_at) and
 * its history (consent_event). Every change is also a line of the audit trail, with its source as the actor and the
 * patient's id as the subject — never a name or a number.
 */
public final class ConsentStore {

    /** The audit action of a change: "consent.granted", "consent.protected", ... */
    public static final String AUDIT_PREFIX = "consent.";

    private final AuditLog audit;
    private final FieldCipher cipher;

    /** @param cipher hashes the patient key and the number the way {@link AppointmentStore} stored them */
    public ConsentStore(AuditLog audit, FieldCipher cipher) {
        this.audit = audit;
        this.cipher = cipher;
    }

    /** One line of a patient's consent history; note is what staff wrote beside it (e.g. a paper form's ref), or null. */
    public record Change(long id, ConsentValue value, String source, Instant at, String note) {
    }

    /**
     * Records a change when it is one: a value equal to the state already held is not written again (a feed that
     * repeats PD1-12 on every message makes one history line, not one per message). True when it changed.
     *
     * @param source who said so: hl7:&lt;sender&gt;, fhir, patient-reply, or a staff user's name
     */
    public boolean record(Connection c, long patientId, ConsentValue value, String source, Instant now)
            throws SQLException {
        return record(c, patientId, value, source, null, now);
    }

    /** As {@link #record(Connection, long, ConsentValue, String, Instant)}, with a note kept beside the change. */
    public boolean record(Connection c, long patientId, ConsentValue value, String source, String note, Instant now)
            throws SQLException {
        PatientConsent current = current(c, patientId).orElse(null);
        if (current == null) {
            throw new StoreException("patient " + patientId + " not found");
        }
        boolean changed = switch (value) {
            case PROTECTED -> !current.doNotMessage();
            case UNPROTECTED -> current.doNotMessage();
            default -> current.consent() != value;
        };
        if (!changed) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(value.isConsent()
                ? "UPDATE patient SET consent = ? WHERE id = ?" : "UPDATE patient SET do_not_message = ? WHERE id = ?")) {
            if (value.isConsent()) {
                ps.setString(1, value.dbValue());
            } else {
                ps.setBoolean(1, value == ConsentValue.PROTECTED);
            }
            ps.setLong(2, patientId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent_event (patient_id, consent_value, source, "
                + "recorded_at, note) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, patientId);
            ps.setString(2, value.dbValue());
            ps.setString(3, Sql.cap(source, 200));
            Sql.setInstant(ps, 4, now);
            ps.setString(5, Sql.cap(note, 500));
            ps.executeUpdate();
        }
        audit.record(c, new AuditEntry(source, AUDIT_PREFIX + value.dbValue().toLowerCase(java.util.Locale.ROOT),
                patientId, "patient:" + patientId, null, "ok", null, null), now);
        return true;
    }

    /** The patient's consent as it stands; empty when there is no such patient. */
    public Optional<PatientConsent> current(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT consent, do_not_message, consent_requested_at FROM patient WHERE id = ?")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PatientConsent(patientId, ConsentValue.fromDb(rs.getString(1)),
                        rs.getBoolean(2), rs.getObject(3) != null));
            }
        }
    }

    /** The patient's history, oldest first. */
    public List<Change> history(Connection c, long patientId) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, consent_value, source, recorded_at, note FROM consent_event "
                + "WHERE patient_id = ? ORDER BY id")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), ConsentValue.fromDb(rs.getString(2)), rs.getString(3),
                            Sql.getInstant(rs, "recorded_at"), rs.getString("note")));
                }
            }
        }
        return out;
    }

    /**
     * Marks the opt-in template as asked for; true only for the first caller, so the template is queued once even
     * when several held messages of the patient are decided at the same time.
     */
    public boolean markRequested(Connection c, long patientId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE patient SET consent_requested_at = ? WHERE id = ? AND consent_requested_at IS NULL")) {
            Sql.setInstant(ps, 1, now);
            ps.setLong(2, patientId);
            return ps.executeUpdate() == 1;
        }
    }

    /** The patient stored under a feed's key (source|authority|id), if any. */
    public Optional<Long> patientByKey(Connection c, String patientKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM patient WHERE patient_key IN (?, ?)")) {
            cipher.bindLookup(ps, 1, FieldCipher.PATIENT_KEY, Sql.cap(patientKey, 300));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The patient an appointment is for. */
    public Optional<Long> patientOfAppointment(Connection c, long appointmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_id FROM appointment WHERE id = ?")) {
            ps.setLong(1, appointmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The patients a WhatsApp number belongs to (a family may share one). */
    public List<Long> patientsByPhone(Connection c, String phoneE164) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM patient WHERE phone_e164 IN (?, ?) "
                + "ORDER BY id")) {
            cipher.bindLookup(ps, 1, FieldCipher.PHONE, phoneE164);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
