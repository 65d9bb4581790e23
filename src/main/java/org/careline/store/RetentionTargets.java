package org.careline.store;

import org.careline.model.DataClass;
import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each {@link DataClass} lives, for the daily purge: one target per table and column group, read in small
 * batches in id order (keyset, so each batch is a short read of an index range) and cleared row by row. Each
 * candidate names the patient and number it belongs to where the schema can tell, and the text to look into
 * where it cannot (raw HL7, webhook bodies), so the caller can leave a patient under legal hold alone.
 * The audit trail is not here: the trail prunes itself.
 */
public final class RetentionTargets {

    private final FieldCipher cipher;

    /** @param cipher opens the raw HL7 and webhook bodies the purge looks into for held patients */
    public RetentionTargets(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * A row due for removal. key: its id (or a number for contact preferences). phone: as the row stores it (the
     * keyed hash when encryption is on: compare with {@link PatientRecords#phoneLookups}).
     */
    public record Candidate(String key, Long patientId, String phone, String text) {
    }

    public enum Target {
        OUTBOX_BODIES(DataClass.MESSAGE_BODIES, false,
                "SELECT o.id, COALESCE(a.patient_id, n.patient_id), o.recipient_phone, NULL FROM outbox o "
                        + "LEFT JOIN appointment a ON a.id = o.appointment_id "
                        + "LEFT JOIN result_notice n ON n.id = o.result_notice_id "
                        + "WHERE o.id > ? AND o.created_at < ? AND o.body IS NOT NULL "
                        + "AND o.status NOT IN ('PENDING', 'SENDING') ORDER BY o.id",
                "UPDATE outbox SET body = NULL WHERE id = ?"),
        REPLY_TEXTS(DataClass.MESSAGE_BODIES, false,
                "SELECT r.id, a.patient_id, r.from_phone, NULL FROM inbound_reply r "
                        + "LEFT JOIN appointment a ON a.id = r.appointment_id "
                        + "WHERE r.id > ? AND r.recorded_at < ? AND (r.content IS NOT NULL OR r.payload IS NOT NULL "
                        + "OR r.latitude IS NOT NULL) ORDER BY r.id",
                "UPDATE inbound_reply SET content = NULL, payload = NULL, latitude = NULL, longitude = NULL "
                        + "WHERE id = ?"),
        PATIENT_CONTACTS(DataClass.CONTACT_DATA, false,
                "SELECT p.id, p.id, p.phone_e164, NULL FROM patient p WHERE p.id > ? AND p.updated_at < ? "
                        + "AND (p.given_name IS NOT NULL OR p.family_name IS NOT NULL OR p.phone_e164 IS NOT NULL) "
                        + "AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id "
                        + "AND (a.updated_at >= ? OR a.start_at >= ?)) "
                        + "AND NOT EXISTS (SELECT 1 FROM result_notice n WHERE n.patient_id = p.id "
                        + "AND n.created_at >= ?) ORDER BY p.id",
                "UPDATE patient SET given_name = NULL, family_name = NULL, phone_e164 = NULL, phone_sealed = NULL "
                        + "WHERE id = ?"),
        // A number that said STOP keeps its row: forgetting it would let messages start again.
        CONTACT_PREFERENCES(DataClass.CONTACT_DATA, true,
                "SELECT cp.phone_e164, NULL, cp.phone_e164, NULL FROM contact_preference cp WHERE cp.phone_e164 > ? "
                        + "AND cp.updated_at < ? AND cp.opted_out = FALSE "
                        + "AND (cp.last_inbound_at IS NULL OR cp.last_inbound_at < ?) ORDER BY cp.phone_e164",
                "DELETE FROM contact_preference WHERE phone_e164 = ?"),
        RAW_HL7(DataClass.RAW_INBOUND, false,
                "SELECT m.id, (SELECT MIN(a.patient_id) FROM appointment_event e JOIN appointment a "
                        + "ON a.id = e.appointment_id WHERE e.inbound_id = m.id), NULL, m.raw_message "
                        + "FROM inbound_message m WHERE m.id > ? AND m.received_at < ? AND m.raw_message IS NOT NULL "
                        + "ORDER BY m.id",
                "UPDATE inbound_message SET raw_message = NULL WHERE id = ?", "inbound_message.raw_message"),
        WEBHOOK_BODIES(DataClass.WEBHOOK_BODIES, false,
                "SELECT w.id, NULL, NULL, w.body FROM webhook_delivery w WHERE w.id > ? AND w.received_at < ? "
                        + "AND (w.processed_at IS NOT NULL OR w.discarded_at IS NOT NULL) AND w.body <> '{}' "
                        + "ORDER BY w.id",
                "UPDATE webhook_delivery SET body = '{}' WHERE id = ?", "webhook_delivery.body"),
        DOCUMENTS(DataClass.DOCUMENTS, false,
                "SELECT d.id, n.patient_id, NULL, NULL FROM document_attachment d JOIN result_notice n "
                        + "ON n.id = d.notice_id WHERE d.id > ? AND d.created_at < ? ORDER BY d.id",
                "DELETE FROM document_attachment WHERE id = ?"),
        STAFF_NOTES(DataClass.STAFF_NOTES, false,
                "SELECT e.id, a.patient_id, h.phone_e164, NULL FROM handoff_event e "
                        + "JOIN staff_handoff h ON h.id = e.handoff_id LEFT JOIN appointment a ON a.id = h.appointment_id "
                        + "WHERE e.id > ? AND e.at < ? AND e.body IS NOT NULL ORDER BY e.id",
                "UPDATE handoff_event SET body = NULL WHERE id = ?"),
        // What staff wrote when recording consent (a paper form's reference); the consent itself stays.
        CONSENT_NOTES(DataClass.STAFF_NOTES, false,
                "SELECT e.id, e.patient_id, NULL, NULL FROM consent_event e "
                        + "WHERE e.id > ? AND e.recorded_at < ? AND e.note IS NOT NULL ORDER BY e.id",
                "UPDATE consent_event SET note = NULL WHERE id = ?"),
        // Counts only, of no patient: a legal hold never keeps one. Its e-mails go with it (ON DELETE CASCADE).
        KPI_REPORTS(DataClass.KPI_REPORTS, false,
                "SELECT r.id, NULL, NULL, NULL FROM kpi_report r WHERE r.id > ? AND r.created_at < ? ORDER BY r.id",
                "DELETE FROM kpi_report WHERE id = ?");

        private final DataClass dataClass;
        private final boolean textKey;
        private final String select;
        private final String clear;
        /** The sealed column the fourth selected value (the text to look into) comes from, or null. */
        private final String textColumn;

        Target(DataClass dataClass, boolean textKey, String select, String clear) {
            this(dataClass, textKey, select, clear, null);
        }

        Target(DataClass dataClass, boolean textKey, String select, String clear, String textColumn) {
            this.dataClass = dataClass;
            this.textKey = textKey;
            this.select = select;
            this.clear = clear;
            this.textColumn = textColumn;
        }

        public DataClass dataClass() {
            return dataClass;
        }

        /** Where a first batch starts. */
        public String firstKey() {
            return textKey ? "" : "0";
        }
    }

    /**
     * Up to {@code size} rows of the target made before {@code cutoff}, after {@code afterKey}, in key order. The
     * first placeholder is the key, every other one the cutoff.
     */
    public List<Candidate> batch(Connection c, Target t, Instant cutoff, String afterKey, int size)
            throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(t.select + " FETCH FIRST " + size + " ROWS ONLY")) {
            if (t.textKey) {
                ps.setString(1, afterKey);
            } else {
                ps.setLong(1, Long.parseLong(afterKey));
            }
            int params = (int) t.select.chars().filter(ch -> ch == '?').count();
            for (int i = 2; i <= params; i++) {
                Sql.setInstant(ps, i, cutoff);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long patient = rs.getLong(2);
                    Long patientId = rs.wasNull() ? null : patient;
                    String text = rs.getString(4);
                    out.add(new Candidate(rs.getString(1), patientId, rs.getString(3),
                            t.textColumn == null ? text : cipher.open(t.textColumn, text)));
                }
            }
        }
        return out;
    }

    /** Clears (or deletes) the rows; returns how many were changed. */
    public int clear(Connection c, Target t, List<String> keys) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(t.clear)) {
            for (String key : keys) {
                if (t.textKey) {
                    ps.setString(1, key);
                } else {
                    ps.setLong(1, Long.parseLong(key));
                }
                n += ps.executeUpdate();
            }
        }
        return n;
    }
}
