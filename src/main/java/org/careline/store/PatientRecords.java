package org.careline.store;

import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A patient as a whole, for privacy work: finding them by MRN or number, legal holds, the record an erasure leaves,
 * and every row that holds their data (for erasure and export). Holds PHI: never logged.
 */
public final class PatientRecords {

    /** The prefix of an erased patient's patient_key: the key itself (source|authority|MRN) is gone. */
    public static final String ERASED_KEY = "erased:";

    private final FieldCipher cipher;

    /** @param cipher opens names, MRN, number and texts; hashes the MRN and number for lookups */
    public PatientRecords(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** The forms a number is stored in, to compare with a row's phone column: its keyed hash and itself. */
    public List<String> phoneLookups(String e164) {
        String hash = cipher.lookupHash(FieldCipher.PHONE, e164);
        return hash.equals(e164) ? List.of(e164) : List.of(hash, e164);
    }

    /** The patient row. {@code erased}: an erasure has run on it. */
    public record PatientRow(long id, String mrn, String authority, String givenName, String familyName,
                             String phone, String language, boolean optedOut, boolean erased, Instant updatedAt) {
    }

    /** A row of some table that may carry a patient's data: its id and the text to look into. */
    public record TextRow(long id, String text) {
    }

    private static final String PATIENT_COLUMNS = "p.id, p.identifier, p.id_authority, p.given_name, p.family_name, "
            + "p.phone_e164, p.language, p.opted_out, p.patient_key, p.updated_at, p.phone_sealed, p.identifier_sealed";

    public Optional<PatientRow> patient(Connection c, long id) throws SQLException {
        List<PatientRow> rows = patients(c, "SELECT " + PATIENT_COLUMNS + " FROM patient p WHERE p.id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<PatientRow> byMrn(Connection c, String mrn, int limit) throws SQLException {
        return patients(c, "SELECT " + PATIENT_COLUMNS + " FROM patient p WHERE p.identifier IN (?, ?) ORDER BY p.id "
                + "FETCH FIRST " + limit + " ROWS ONLY", cipher.lookupHash(FieldCipher.MRN, mrn), mrn);
    }

    public List<PatientRow> byPhone(Connection c, String e164, int limit) throws SQLException {
        return patients(c, "SELECT " + PATIENT_COLUMNS + " FROM patient p WHERE p.phone_e164 IN (?, ?) ORDER BY p.id "
                + "FETCH FIRST " + limit + " ROWS ONLY", cipher.lookupHash(FieldCipher.PHONE, e164), e164);
    }

    /**
     * The rows that are the same person as {@code p}: the patient itself and every row, not erased, with the same
     * MRN and assigning authority (another feed — the lab's ORU, a FHIR server — keeps its own row for them).
     */
    public List<PatientRow> samePerson(Connection c, PatientRow p) throws SQLException {
        if (p.mrn() == null || p.authority() == null) {
            return List.of(p);
        }
        List<PatientRow> rows = new ArrayList<>(List.of(p));
        for (PatientRow r : patients(c, "SELECT " + PATIENT_COLUMNS + " FROM patient p WHERE p.identifier IN (?, ?) "
                + "AND p.id_authority = ? AND p.id <> ? ORDER BY p.id", cipher.lookupHash(FieldCipher.MRN, p.mrn()),
                p.mrn(), p.authority(), p.id())) {
            if (!r.erased()) {
                rows.add(r);
            }
        }
        return rows;
    }

    /** Patients under legal hold. */
    public List<PatientRow> held(Connection c) throws SQLException {
        return patients(c, "SELECT " + PATIENT_COLUMNS + " FROM patient p JOIN legal_hold h ON h.patient_id = p.id "
                + "ORDER BY p.id");
    }

    private List<PatientRow> patients(Connection c, String sql, Object... args) throws SQLException {
        List<PatientRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString("patient_key");
                    out.add(new PatientRow(rs.getLong("id"), cipher.openPair("patient.identifier_sealed",
                            rs.getString("identifier_sealed"), rs.getString("identifier")), rs.getString("id_authority"),
                            cipher.open("patient.given_name", rs.getString("given_name")),
                            cipher.open("patient.family_name", rs.getString("family_name")),
                            cipher.openPair("patient.phone_sealed", rs.getString("phone_sealed"),
                                    rs.getString("phone_e164")),
                            rs.getString("language"), rs.getBoolean("opted_out"),
                            key != null && key.startsWith(ERASED_KEY), Sql.getInstant(rs, "updated_at")));
                }
            }
        }
        return out;
    }

    /** The patient's most recent appointment's site and start, for telling patients of the same name apart. */
    public record LastVisit(String site, Instant startAt) {
    }

    public Optional<LastVisit> lastVisit(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT site_code, start_at FROM appointment WHERE patient_id = ? "
                + "ORDER BY start_at DESC NULLS LAST, id DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new LastVisit(rs.getString(1), Sql.getInstant(rs, "start_at")))
                        : Optional.empty();
            }
        }
    }

    // --- legal hold ---------------------------------------------------------------------------------------------

    public boolean onHold(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM legal_hold WHERE patient_id = ?")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Places the hold; false if one was already on. */
    public boolean placeHold(Connection c, long patientId, String by, Instant at) throws SQLException {
        if (onHold(c, patientId)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO legal_hold (patient_id, placed_by, placed_at) VALUES (?, ?, ?)")) {
            ps.setLong(1, patientId);
            ps.setString(2, Sql.cap(by, 100));
            Sql.setInstant(ps, 3, at);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                return false; // placed by someone else at the same moment
            }
            throw e;
        }
    }

    /** Lifts the hold; false if there was none. */
    public boolean liftHold(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM legal_hold WHERE patient_id = ?")) {
            ps.setLong(1, patientId);
            return ps.executeUpdate() == 1;
        }
    }

    // --- erasure ------------------------------------------------------------------------------------------------

    /** Whether a patient other than {@code ids} has this number (then the number's own records are theirs too). */
    public boolean phoneShared(Connection c, String phone, java.util.Collection<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM patient WHERE phone_e164 IN (?, ?)")) {
            cipher.bindLookup(ps, 1, FieldCipher.PHONE, phone);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!ids.contains(rs.getLong(1))) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /**
     * Raw inbound HL7 that may carry the patient: every message that touched their appointments, and every one
     * whose text contains one of {@code mentions} (the caller decides which really carry them).
     */
    public List<TextRow> rawInboundFor(Connection c, long patientId, List<String> mentions) throws SQLException {
        Map<Long, TextRow> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.raw_message FROM inbound_message m "
                + "WHERE m.raw_message IS NOT NULL AND m.id IN (SELECT e.inbound_id FROM appointment_event e "
                + "JOIN appointment a ON a.id = e.appointment_id WHERE a.patient_id = ?)")) {
            ps.setLong(1, patientId);
            collect(ps, rows, "");
        }
        for (String mention : mentions) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, raw_message FROM inbound_message "
                    + "WHERE raw_message LIKE ? ESCAPE '!'")) {
                ps.setString(1, "%" + likeEscape(mention) + "%");
                collect(ps, rows, null);
            }
        }
        sealedMentioning(c, "inbound_message", "raw_message", mentions, rows);
        return new ArrayList<>(rows.values());
    }

    /**
     * Sealed texts cannot be searched by LIKE: with encryption on, each sealed one is opened and kept when it holds
     * a mention. A scan, one row at a time, as an erasure needs it once (the purge reads its own batches).
     */
    private void sealedMentioning(Connection c, String table, String column, List<String> mentions,
                                  Map<Long, TextRow> rows) throws SQLException {
        if (!cipher.enabled() || mentions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, " + column + " FROM " + table + " WHERE "
                + column + " LIKE 'enc:%' ORDER BY id")) {
            ps.setFetchSize(50);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (rows.containsKey(id)) {
                        continue;
                    }
                    String text = cipher.open(table + "." + column, rs.getString(2));
                    if (mentions.stream().anyMatch(text::contains)) {
                        rows.put(id, new TextRow(id, text));
                    }
                }
            }
        }
    }

    /** Webhook bodies containing one of {@code mentions} (the caller decides which really carry the patient). */
    public List<TextRow> webhookBodiesMentioning(Connection c, List<String> mentions) throws SQLException {
        Map<Long, TextRow> rows = new LinkedHashMap<>();
        for (String mention : mentions) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, body FROM webhook_delivery WHERE body LIKE ? "
                    + "ESCAPE '!'")) {
                ps.setString(1, "%" + likeEscape(mention) + "%");
                collect(ps, rows, null);
            }
        }
        sealedMentioning(c, "webhook_delivery", "body", mentions, rows);
        return new ArrayList<>(rows.values());
    }

    /**
     * @param linked marker for rows found by their link to the patient ("" : they carry the patient whatever their
     *               text says), null for rows found by a text match only
     */
    private static void collect(PreparedStatement ps, Map<Long, TextRow> rows, String linked) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                rows.putIfAbsent(id, new TextRow(id, linked != null ? null : rs.getString(2)));
            }
        }
    }

    private static String likeEscape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    public int clearRawInbound(Connection c, List<Long> ids) throws SQLException {
        return byIds(c, "UPDATE inbound_message SET raw_message = NULL WHERE id = ?", ids);
    }

    /** The body becomes an empty JSON object, marked processed: a pending one is never worked on. */
    public int clearWebhookBodies(Connection c, List<Long> ids, Instant now) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_delivery SET body = '{}', "
                + "processed_at = COALESCE(processed_at, ?) WHERE id = ?")) {
            for (long id : ids) {
                Sql.setInstant(ps, 1, now);
                ps.setLong(2, id);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    private static int byIds(Connection c, String sql, List<Long> ids) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id : ids) {
                ps.setLong(1, id);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /**
     * Removes what the database holds of one patient apart from raw inbound messages and webhook bodies (see
     * {@link #clearRawInbound}, {@link #clearWebhookBodies}): names, numbers, identifiers, message bodies both ways,
     * staff notes, documents; cancels pending messages and write-backs; resolves open handoffs. With
     * {@code numberToo} false (another patient has the same number) the number's own records — its replies,
     * handoffs and contact preference — are left to that patient. Returns counts of rows changed, per kind.
     */
    public Map<String, Integer> erase(Connection c, PatientRow p, boolean numberToo, String by, Instant now)
            throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        long id = p.id();
        String phone = p.phone();
        boolean byNumber = numberToo && phone != null;
        // The number as the rows store it: its keyed hash and (rows not yet converted) itself; null: no placeholder.
        String hash = byNumber ? cipher.lookupHash(FieldCipher.PHONE, phone) : null;
        String clear = byNumber ? phone : null;
        String outboxOfPatient = "(appointment_id IN (SELECT id FROM appointment WHERE patient_id = ?) "
                + "OR result_notice_id IN (SELECT id FROM result_notice WHERE patient_id = ?)"
                + (byNumber ? " OR recipient_phone IN (?, ?)" : "") + ")";
        counts.put("messagesCancelled", update(c, "UPDATE outbox SET status = 'CANCELLED', claimed_by = NULL, "
                + "claimed_until = NULL, updated_at = ? WHERE status = 'PENDING' AND " + outboxOfPatient, now, id, id,
                hash, clear));
        counts.put("messageBodies", update(c, "UPDATE outbox SET body = NULL, recipient_phone = NULL, "
                + "recipient_sealed = NULL, error_reason = NULL, updated_at = ? WHERE " + outboxOfPatient, now, id, id,
                hash, clear));
        counts.put("writebacksCancelled", update(c, "UPDATE writeback_request SET status = 'DISCARDED', "
                + "last_error = 'patient erased', claimed_by = NULL, claimed_until = NULL, updated_at = ? "
                + "WHERE status IN ('PENDING', 'REJECTED', 'FAILED') AND appointment_id IN "
                + "(SELECT id FROM appointment WHERE patient_id = ?)", now, id));
        counts.put("writebackTexts", update(c, "UPDATE writeback_request SET ack_text = NULL WHERE ack_text IS NOT NULL "
                + "AND appointment_id IN (SELECT id FROM appointment WHERE patient_id = ?)", id));
        counts.put("appointmentTexts", update(c, "UPDATE appointment SET instructions = NULL, updated_at = ? "
                + "WHERE patient_id = ?", now, id));
        counts.put("documents", update(c, "DELETE FROM document_attachment WHERE notice_id IN "
                + "(SELECT id FROM result_notice WHERE patient_id = ?)", id));
        String repliesOfPatient = "(appointment_id IN (SELECT id FROM appointment WHERE patient_id = ?)"
                + (byNumber ? " OR from_phone IN (?, ?)" : "") + ")";
        String handoffsOfPatient = "(appointment_id IN (SELECT id FROM appointment WHERE patient_id = ?)"
                + (byNumber ? " OR phone_e164 IN (?, ?)" : "") + ")";
        counts.put("staffNotes", update(c, "UPDATE handoff_event SET body = NULL WHERE body IS NOT NULL AND "
                + "handoff_id IN (SELECT id FROM staff_handoff WHERE " + handoffsOfPatient + ")", id, hash, clear));
        counts.put("consentNotes", update(c, "UPDATE consent_event SET note = NULL WHERE note IS NOT NULL AND "
                + "patient_id = ?", id));
        counts.put("handoffsResolved", update(c, "UPDATE staff_handoff SET status = 'RESOLVED', resolved_at = ?, "
                + "resolved_by = ?, version = version + 1 WHERE status <> 'RESOLVED' AND " + handoffsOfPatient, now,
                Sql.cap(by, 100), id, hash, clear));
        counts.put("handoffNumbers", update(c, "UPDATE staff_handoff SET phone_e164 = 'erased', phone_sealed = NULL "
                + "WHERE " + handoffsOfPatient, null, id, hash, clear));
        counts.put("replies", update(c, "UPDATE inbound_reply SET content = NULL, payload = NULL, latitude = NULL, "
                + "longitude = NULL, from_phone = 'erased', from_sealed = NULL WHERE " + repliesOfPatient, null, id,
                hash, clear));
        counts.put("contactPreferences", byNumber
                ? update(c, "DELETE FROM contact_preference WHERE phone_e164 IN (?, ?)", hash, clear) : 0);
        counts.put("patient", update(c, "UPDATE patient SET patient_key = ?, identifier = NULL, id_authority = NULL, "
                + "given_name = NULL, family_name = NULL, phone_e164 = NULL, phone_sealed = NULL, "
                + "identifier_sealed = NULL, opted_out = TRUE, updated_at = ? "
                + "WHERE id = ?", ERASED_KEY + id, now, id));
        return counts;
    }

    /** Runs one statement; a null argument is skipped (the statement was built without its placeholder). */
    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object a : args) {
                if (a == null) {
                    continue;
                }
                if (a instanceof Instant t) {
                    Sql.setInstant(ps, i++, t);
                } else {
                    ps.setObject(i++, a);
                }
            }
            return ps.executeUpdate();
        }
    }

    /** The pseudonymous record of an erasure (patient_erasure). */
    public long recordErasure(Connection c, String refHash, String by, Instant requestedAt, Instant doneAt,
                              String counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO patient_erasure (patient_ref_hash, requested_by, "
                + "requested_at, done_at, counts) VALUES (?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, refHash);
            ps.setString(2, Sql.cap(by, 100));
            Sql.setInstant(ps, 3, requestedAt);
            Sql.setInstant(ps, 4, doneAt);
            ps.setString(5, Sql.cap(counts, 1000));
            return Sql.executeForId(ps);
        }
    }

    // --- access request -----------------------------------------------------------------------------------------

    /**
     * Everything held about the patient, section by section (JSON field names in camelCase, times as instants):
     * the patient row, their number's contact preference, appointments and their events, messages sent to them,
     * their replies, result notices and orders, handoffs and every step on them, write-backs, legal hold, erasures
     * and the audit trail's lines about them. Empty when there is no such patient.
     */
    public Map<String, Object> exportOf(Connection c, long patientId) throws SQLException {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> patient = rows(c, "SELECT id, identifier, id_authority, given_name, family_name, "
                + "phone_e164, language, opted_out, consent, do_not_message, consent_requested_at, updated_at, phone_sealed, "
                + "identifier_sealed FROM patient "
                + "WHERE id = ?", patientId);
        if (patient.isEmpty()) {
            return doc;
        }
        String phone = (String) patient.get(0).get("phoneE164");
        String hashPhone = cipher.lookupHash(FieldCipher.PHONE, phone);
        String appointments = "(SELECT id FROM appointment WHERE patient_id = " + patientId + ")";
        String notices = "(SELECT id FROM result_notice WHERE patient_id = " + patientId + ")";
        String number = phone == null ? "" : " OR recipient_phone IN (?, ?)";
        doc.put("patient", patient.get(0));
        doc.put("contactPreferences", phone == null ? List.of()
                : rows(c, "SELECT phone_e164, opted_out, opted_out_at, last_inbound_at, updated_at "
                + "FROM contact_preference WHERE phone_e164 IN (?, ?)", hashPhone, phone));
        // The row keeps the number's keyed hash when encryption is on; the export shows the number it stands for.
        for (Object row : (List<?>) doc.get("contactPreferences")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) row;
            m.put("phoneE164", phone);
        }
        doc.put("appointments", rows(c, "SELECT id, source, external_id, placer_id, filler_id, status, start_at, "
                + "duration_min, site_code, service_code, service_name, provider_name, location_name, instructions, "
                + "confirmed_at, created_at, updated_at FROM appointment WHERE patient_id = ? ORDER BY id", patientId));
        doc.put("appointmentEvents", rows(c, "SELECT id, appointment_id, event_type, start_at, recorded_at "
                + "FROM appointment_event WHERE appointment_id IN " + appointments + " ORDER BY id"));
        doc.put("messages", phone == null
                ? rows(c, "SELECT id, appointment_id, result_notice_id, kind, label, body, status, due_at, "
                + "delivery_status, delivery_at, created_at FROM outbox WHERE appointment_id IN " + appointments
                + " OR result_notice_id IN " + notices + " ORDER BY id")
                : rows(c, "SELECT id, appointment_id, result_notice_id, kind, label, body, status, due_at, "
                + "delivery_status, delivery_at, created_at FROM outbox WHERE appointment_id IN " + appointments
                + " OR result_notice_id IN " + notices + number + " ORDER BY id", hashPhone, phone));
        doc.put("replies", phone == null
                ? rows(c, "SELECT id, message_type, content, payload, latitude, longitude, sent_at, intent, "
                + "appointment_id, recorded_at FROM inbound_reply WHERE appointment_id IN " + appointments
                + " ORDER BY id")
                : rows(c, "SELECT id, message_type, content, payload, latitude, longitude, sent_at, intent, "
                + "appointment_id, recorded_at FROM inbound_reply WHERE appointment_id IN " + appointments
                + " OR from_phone IN (?, ?) ORDER BY id", hashPhone, phone));
        doc.put("resultNotices", rows(c, "SELECT id, kind, site_code, release_at, expires_at, created_at "
                + "FROM result_notice WHERE patient_id = ? ORDER BY id", patientId));
        doc.put("resultOrders", rows(c, "SELECT id, source, order_key, status, category, announced, held, updated_at "
                + "FROM result_order WHERE patient_id = ? ORDER BY id", patientId));
        String handoffs = "(SELECT id FROM staff_handoff WHERE appointment_id IN " + appointments
                + (phone == null ? "" : " OR phone_e164 IN (?, ?)") + ")";
        doc.put("handoffs", phone == null
                ? rows(c, "SELECT id, queue, site_code, reason, urgent, status, created_at, claimed_by, resolved_at, "
                + "resolved_by FROM staff_handoff WHERE id IN " + handoffs + " ORDER BY id")
                : rows(c, "SELECT id, queue, site_code, reason, urgent, status, created_at, claimed_by, resolved_at, "
                + "resolved_by FROM staff_handoff WHERE id IN " + handoffs + " ORDER BY id", hashPhone, phone));
        doc.put("handoffEvents", phone == null
                ? rows(c, "SELECT id, handoff_id, kind, actor, body, outbox_id, inbound_reply_id, at FROM handoff_event "
                + "WHERE handoff_id IN " + handoffs + " ORDER BY id")
                : rows(c, "SELECT id, handoff_id, kind, actor, body, outbox_id, inbound_reply_id, at FROM handoff_event "
                + "WHERE handoff_id IN " + handoffs + " ORDER BY id", hashPhone, phone));
        doc.put("writebacks", rows(c, "SELECT id, appointment_id, action, status, ack_code, ack_text, remote_ref, "
                + "created_at, updated_at FROM writeback_request WHERE appointment_id IN " + appointments + " ORDER BY id"));
        doc.put("consent", rows(c, "SELECT consent_value, source, note, recorded_at FROM consent_event WHERE patient_id = ? "
                + "ORDER BY id", patientId));
        doc.put("legalHold", rows(c, "SELECT placed_by, placed_at FROM legal_hold WHERE patient_id = ?", patientId));
        doc.put("audit", rows(c, "SELECT id, at, actor, action, subject, site_code, outcome, detail FROM audit_event "
                + "WHERE patient_id = ? ORDER BY id", patientId));
        return doc;
    }

    /** A sealed column (as its camelCase key) and the lookup column it stands behind. */
    private static final Map<String, String> SEALED_PAIRS = Map.of("phoneSealed", "phoneE164",
            "identifierSealed", "identifier", "recipientSealed", "recipientPhone", "fromSealed", "fromPhone");

    /**
     * Rows as maps: column names in camelCase (given_name → givenName), timestamps as instants. Sealed values are
     * opened (the table is the query's first FROM), and a (hash, sealed) pair shows as the value under the lookup
     * column's name.
     */
    private List<Map<String, Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        java.util.regex.Matcher from = java.util.regex.Pattern.compile(" FROM (\\w+)").matcher(sql);
        String table = from.find() ? from.group(1) : "";
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = value(rs.getObject(i));
                        String label = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                        if (v instanceof String text && FieldCipher.keyIdOf(text) != null) {
                            v = cipher.open(table + "." + label, text);
                        }
                        row.put(camel(label), v);
                    }
                    for (Map.Entry<String, String> pair : SEALED_PAIRS.entrySet()) {
                        if (row.containsKey(pair.getKey())) {
                            Object sealed = row.remove(pair.getKey());
                            Object lookup = row.get(pair.getValue());
                            row.put(pair.getValue(), sealed != null ? sealed
                                    : lookup instanceof String l && FieldCipher.isLookupHash(l) ? null : lookup);
                        }
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static Object value(Object v) {
        if (v instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.time.ZonedDateTime t) {
            return t.toInstant();
        }
        return v;
    }

    private static String camel(String column) {
        String[] parts = column.toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
            }
        }
        return b.toString();
    }
}
