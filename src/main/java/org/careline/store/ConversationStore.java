package org.careline.store;

import org.careline.model.AppointmentStatus;
import org.careline.store.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the conversation needs from the database: which appointment a reply is about, opt-outs. Handoffs live in
 * {@link Handoffs}.
 */
public final class ConversationStore {

    private final FieldCipher cipher;

    /** @param cipher hashes the number the way the patient and contact rows store it */
    public ConversationStore(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * The appointment a reply is about, with what an answer needs.
     *
     * @param source the feed it came from ("FHIR" for the FHIR server; the HL7 sender otherwise)
     */
    public record AppointmentRef(long id, AppointmentStatus status, Instant start, String siteCode, String language,
                                 String source) {
    }

    /** An appointment's own map pin (from a FHIR Location): coordinates and/or an address. */
    public record Pin(Double latitude, Double longitude, String name, String address) {
        public boolean hasCoordinates() {
            return latitude != null && longitude != null;
        }
    }

    /** The appointment's own pin, when its feed gave one. */
    public Optional<Pin> pinOf(Connection c, long appointmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pin_latitude, pin_longitude, pin_name, pin_address "
                + "FROM appointment WHERE id = ?")) {
            ps.setLong(1, appointmentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double lat = rs.getDouble(1);
                Double latitude = rs.wasNull() ? null : lat;
                double lon = rs.getDouble(2);
                Double longitude = rs.wasNull() ? null : lon;
                Pin pin = new Pin(latitude, longitude, rs.getString(3), rs.getString(4));
                return pin.hasCoordinates() || pin.address() != null ? Optional.of(pin) : Optional.empty();
            }
        }
    }

    /** The appointment the message {@code wamid} (one we sent) was about. */
    public Optional<AppointmentRef> byOutboundWamid(Connection c, String wamid) throws SQLException {
        if (wamid == null) {
            return Optional.empty();
        }
        return one(c, "SELECT a.id, a.status, a.start_at, a.site_code, p.language, a.source FROM outbox o "
                + "JOIN appointment a ON a.id = o.appointment_id JOIN patient p ON p.id = a.patient_id "
                + "WHERE o.wamid = ?", wamid);
    }

    public Optional<AppointmentRef> byId(Connection c, long id) throws SQLException {
        return one(c, "SELECT a.id, a.status, a.start_at, a.site_code, p.language, a.source FROM appointment a "
                + "JOIN patient p ON p.id = a.patient_id WHERE a.id = ?", id);
    }

    /** The next booked appointment of any patient with this number: what free text most likely refers to. */
    public Optional<AppointmentRef> nextUpcoming(Connection c, String phone, Instant now) throws SQLException {
        return one(c, "SELECT a.id, a.status, a.start_at, a.site_code, p.language, a.source FROM appointment a "
                + "JOIN patient p ON p.id = a.patient_id WHERE p.phone_e164 IN (?, ?) "
                + "AND a.status = '" + AppointmentStatus.BOOKED.dbValue() + "' "
                + "AND a.start_at > ? ORDER BY a.start_at, a.id FETCH FIRST 1 ROWS ONLY",
                cipher.lookupHash(FieldCipher.PHONE, phone), phone, now);
    }

    /** The language of the most recently updated patient with this number, or null. */
    public String languageOf(Connection c, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT language FROM patient WHERE phone_e164 IN (?, ?) "
                + "AND language IS NOT NULL ORDER BY updated_at DESC FETCH FIRST 1 ROWS ONLY")) {
            cipher.bindLookup(ps, 1, FieldCipher.PHONE, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public boolean isOptedOut(Connection c, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT opted_out FROM contact_preference WHERE phone_e164 IN (?, ?)")) {
            cipher.bindLookup(ps, 1, FieldCipher.PHONE, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Opts the number out (true) or back in (false). The row exists: the message that asks was recorded. */
    public void setOptedOut(Connection c, String phone, boolean optedOut, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE contact_preference SET opted_out = ?, opted_out_at = ?, "
                + "updated_at = ? WHERE phone_e164 IN (?, ?)")) {
            ps.setBoolean(1, optedOut);
            Sql.setInstant(ps, 2, optedOut ? now : null);
            Sql.setInstant(ps, 3, now);
            cipher.bindLookup(ps, 4, FieldCipher.PHONE, phone);
            if (ps.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO contact_preference (phone_e164, opted_out, "
                        + "opted_out_at, updated_at) VALUES (?, ?, ?, ?)")) {
                    ins.setString(1, cipher.lookupHash(FieldCipher.PHONE, phone));
                    ins.setBoolean(2, optedOut);
                    Sql.setInstant(ins, 3, optedOut ? now : null);
                    Sql.setInstant(ins, 4, now);
                    ins.executeUpdate();
                }
            }
        }
    }

    /** What Careline understood of the reply, and which appointment it is about. */
    public void recordIntent(Connection c, long inboundReplyId, String intent, Long appointmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE inbound_reply SET intent = ?, appointment_id = ? WHERE id = ?")) {
            ps.setString(1, intent);
            if (appointmentId == null) {
                ps.setNull(2, java.sql.Types.BIGINT);
            } else {
                ps.setLong(2, appointmentId);
            }
            ps.setLong(3, inboundReplyId);
            ps.executeUpdate();
        }
    }

    public void markConfirmed(Connection c, long appointmentId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE appointment SET confirmed_at = ?, updated_at = ? WHERE id = ? AND confirmed_at IS NULL")) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, now);
            ps.setLong(3, appointmentId);
            ps.executeUpdate();
        }
    }

    private static Optional<AppointmentRef> one(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Instant t) {
                    Sql.setInstant(ps, i + 1, t);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new AppointmentRef(rs.getLong(1), AppointmentStatus.fromDb(rs.getString(2)),
                        Sql.getInstant(rs, "start_at"),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
    }
}
