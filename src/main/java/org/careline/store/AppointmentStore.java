package org.careline.store;

import org.careline.model.AppointmentStatus;
import org.careline.model.AppointmentEvent;
import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Patients, appointments (current state) and appointment history. */
public final class AppointmentStore {

    private final FieldCipher cipher;

    /** @param cipher seals names, number, MRN and instructions; hashes the number, MRN and patient key */
    public AppointmentStore(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** An appointment's stored state. */
    public record StoredAppointment(long id, long patientId, AppointmentStatus status, Instant start, String siteCode,
                                    String serviceCode, boolean reachable) {
    }

    /** Inserts or updates the patient named by the event; a value the event lacks keeps the stored one. */
    public long upsertPatient(Connection c, AppointmentEvent e, Instant now) throws SQLException {
        return upsertPatient(c, e.patientKey(), e.givenName(), e.familyName(), e.phoneE164(), e.language(),
                e.feed().patientId(), e.feed().patientAuthority(), now);
    }

    /** Inserts or updates the patient with this key from plain fields (results feeds); null keeps the stored value. */
    public long upsertPatient(Connection c, String patientKey, String givenName, String familyName, String phoneE164,
                              String language, String identifier, String authority, Instant now) throws SQLException {
        Optional<Long> existing = patientId(c, patientKey);
        String given = Sql.cap(givenName, 200);
        String family = Sql.cap(familyName, 200);
        String mrn = Sql.cap(identifier, 200);
        if (existing.isPresent()) {
            // A value given replaces both halves of its (hash, sealed) pair; one not given keeps both.
            try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET "
                    + "given_name = COALESCE(?, given_name), family_name = COALESCE(?, family_name), "
                    + "phone_e164 = COALESCE(?, phone_e164), language = COALESCE(?, language), "
                    + "identifier = COALESCE(?, identifier), id_authority = COALESCE(?, id_authority), updated_at = ?, "
                    + "phone_sealed = CASE WHEN ? IS NULL THEN phone_sealed ELSE ? END, "
                    + "identifier_sealed = CASE WHEN ? IS NULL THEN identifier_sealed ELSE ? END "
                    + "WHERE id = ?")) {
                ps.setString(1, cipher.seal("patient.given_name", given));
                ps.setString(2, cipher.seal("patient.family_name", family));
                ps.setString(3, cipher.lookupHash(FieldCipher.PHONE, phoneE164));
                ps.setString(4, Sql.cap(language, 16));
                ps.setString(5, cipher.lookupHash(FieldCipher.MRN, mrn));
                ps.setString(6, Sql.cap(authority, 200));
                Sql.setInstant(ps, 7, now);
                ps.setString(8, phoneE164);
                ps.setString(9, cipher.sealPair("patient.phone_sealed", phoneE164));
                ps.setString(10, mrn);
                ps.setString(11, cipher.sealPair("patient.identifier_sealed", mrn));
                ps.setLong(12, existing.get());
                ps.executeUpdate();
            }
            return existing.get();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO patient (patient_key, given_name, family_name, "
                + "phone_e164, language, identifier, id_authority, opted_out, updated_at, phone_sealed, "
                + "identifier_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?)",
                new String[]{"id"})) {
            ps.setString(1, cipher.lookupHash(FieldCipher.PATIENT_KEY, Sql.cap(patientKey, 300)));
            ps.setString(2, cipher.seal("patient.given_name", given));
            ps.setString(3, cipher.seal("patient.family_name", family));
            ps.setString(4, cipher.lookupHash(FieldCipher.PHONE, phoneE164));
            ps.setString(5, Sql.cap(language, 16));
            ps.setString(6, cipher.lookupHash(FieldCipher.MRN, mrn));
            ps.setString(7, Sql.cap(authority, 200));
            Sql.setInstant(ps, 8, now);
            ps.setString(9, cipher.sealPair("patient.phone_sealed", phoneE164));
            ps.setString(10, cipher.sealPair("patient.identifier_sealed", mrn));
            return Sql.executeForId(ps);
        }
    }

    private Optional<Long> patientId(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM patient WHERE patient_key IN (?, ?)")) {
            cipher.bindLookup(ps, 1, FieldCipher.PATIENT_KEY, Sql.cap(key, 300));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Whether the patient can get messages: a phone on record and not opted out. */
    public boolean reachable(Connection c, long patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT phone_e164, opted_out FROM patient WHERE id = ?")) {
            ps.setLong(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null && !rs.getBoolean(2);
            }
        }
    }

    public Optional<StoredAppointment> find(Connection c, String source, String externalId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, patient_id, status, start_at, site_code, "
                + "service_code, reachable FROM appointment WHERE source = ? AND external_id = ?")) {
            ps.setString(1, Sql.cap(source, 200));
            ps.setString(2, Sql.cap(externalId, 200));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAppointment(rs.getLong("id"), rs.getLong("patient_id"),
                        AppointmentStatus.fromDb(rs.getString("status")), Sql.getInstant(rs, "start_at"),
                        rs.getString("site_code"),
                        rs.getString("service_code"), rs.getBoolean("reachable")));
            }
        }
    }

    public long insert(Connection c, AppointmentEvent e, long patientId, AppointmentStatus status, boolean reachable,
                       Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO appointment (source, external_id, patient_id, "
                + "status, start_at, duration_min, site_code, service_code, service_name, provider_name, "
                + "location_name, instructions, reachable, created_at, updated_at, placer_id, filler_id, feed_version) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, Sql.cap(e.source(), 200));
            ps.setString(2, Sql.cap(e.externalId(), 200));
            ps.setLong(3, patientId);
            ps.setString(4, status.dbValue());
            Sql.setInstant(ps, 5, e.start());
            Sql.setInteger(ps, 6, e.durationMinutes());
            setDetails(ps, 7, e);
            ps.setBoolean(13, reachable);
            Sql.setInstant(ps, 14, now);
            Sql.setInstant(ps, 15, now);
            setFeed(ps, 16, e);
            return Sql.executeForId(ps);
        }
    }

    /** The event's six detail columns (site, service code and name, provider, location, instructions) from
     *  parameter {@code first} on, capped to their column sizes; insert and update list them in the same order. */
    private void setDetails(PreparedStatement ps, int first, AppointmentEvent e) throws SQLException {
        ps.setString(first, Sql.cap(e.siteCode(), 100));
        ps.setString(first + 1, Sql.cap(e.serviceCode(), 100));
        ps.setString(first + 2, Sql.cap(e.serviceName(), 300));
        ps.setString(first + 3, Sql.cap(e.provider(), 300));
        ps.setString(first + 4, Sql.cap(e.location(), 300));
        ps.setString(first + 5, cipher.seal("appointment.instructions", Sql.cap(e.instructions(), 2000)));
    }

    /** The feed's placer id, filler id and version from parameter {@code first} on. */
    private static void setFeed(PreparedStatement ps, int first, AppointmentEvent e) throws SQLException {
        ps.setString(first, Sql.cap(e.feed().placerId(), 200));
        ps.setString(first + 1, Sql.cap(e.feed().fillerId(), 200));
        ps.setString(first + 2, Sql.cap(e.feed().version(), 20));
    }

    /** Current state from the event; a detail the event lacks keeps the stored value. */
    public void update(Connection c, long id, AppointmentEvent e, long patientId, AppointmentStatus status,
                       boolean reachable,
                       Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE appointment SET patient_id = ?, status = ?, "
                + "start_at = COALESCE(?, start_at), duration_min = COALESCE(?, duration_min), site_code = ?, "
                + "service_code = COALESCE(?, service_code), service_name = COALESCE(?, service_name), "
                + "provider_name = COALESCE(?, provider_name), location_name = COALESCE(?, location_name), "
                + "instructions = COALESCE(?, instructions), reachable = ?, updated_at = ?, "
                + "placer_id = COALESCE(?, placer_id), filler_id = COALESCE(?, filler_id), "
                + "feed_version = COALESCE(?, feed_version) WHERE id = ?")) {
            ps.setLong(1, patientId);
            ps.setString(2, status.dbValue());
            Sql.setInstant(ps, 3, e.start());
            Sql.setInteger(ps, 4, e.durationMinutes());
            setDetails(ps, 5, e);
            ps.setBoolean(11, reachable);
            Sql.setInstant(ps, 12, now);
            setFeed(ps, 13, e);
            ps.setLong(16, id);
            ps.executeUpdate();
        }
    }

    /** Appends to the appointment's history; {@code action} (what the event did) lets the figures count bookings. */
    public void recordEvent(Connection c, long appointmentId, Long inboundId, String eventType,
                            org.careline.model.AppointmentAction action, Instant start, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO appointment_event (appointment_id, inbound_id, "
                + "event_type, start_at, recorded_at, action) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, appointmentId);
            if (inboundId == null) {
                ps.setNull(2, java.sql.Types.BIGINT);
            } else {
                ps.setLong(2, inboundId);
            }
            ps.setString(3, Sql.cap(eventType, 20));
            Sql.setInstant(ps, 4, start);
            Sql.setInstant(ps, 5, now);
            ps.setString(6, action.name());
            ps.executeUpdate();
        }
    }

    /** The map pin of the appointment's own location (FHIR Location), or all null to fall back to the site's. */
    public void setPin(Connection c, long id, Double latitude, Double longitude, String name, String address)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE appointment SET pin_latitude = ?, pin_longitude = ?, "
                + "pin_name = ?, pin_address = ? WHERE id = ?")) {
            setDouble(ps, 1, latitude);
            setDouble(ps, 2, longitude);
            ps.setString(3, Sql.cap(name, 300));
            ps.setString(4, Sql.cap(address, 500));
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    public void setStatus(Connection c, long id, AppointmentStatus status, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE appointment SET status = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, status.dbValue());
            Sql.setInstant(ps, 2, now);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}
