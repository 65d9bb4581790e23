package org.careline.store;

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
 * Every HL7 message received, by sender and MSH-10: the memory that makes a resend have no second effect. The raw
 * message is kept with its receipt so that an analyst can replay one answered AE/AR (PHI: never logged, never
 * listed — only {@link #rawMessage} reads it, for the replay).
 */
public final class InboundLog {

    /** Every HL7 message stored is a message in: one trail entry, in the same transaction. */
    private static final AuditLog AUDIT = new AuditLog();

    /** The longest raw message kept (the column's size); a longer one is kept without its text (not replayable). */
    static final int RAW_MAX = 10_485_760;

    /** The ACK a message got the first time; the error fields are set for AE/AR. */
    public record Outcome(long id, String messageType, String ackCode, String ackText, Integer errorCode,
                          String errorSegment, Integer errorField) {
    }

    private final FieldCipher cipher;

    /** @param cipher seals and opens the raw message */
    public InboundLog(FieldCipher cipher) {
        this.cipher = cipher;
    }

    public Optional<Outcome> find(Connection c, String sender, String controlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, message_type, ack_code, ack_text, error_code, error_segment, error_field "
                        + "FROM inbound_message WHERE sender = ? AND control_id = ?")) {
            ps.setString(1, Sql.cap(sender, 200));
            ps.setString(2, Sql.cap(controlId, 200));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Outcome(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), Sql.getInteger(rs, "error_code"), rs.getString(6),
                        Sql.getInteger(rs, "error_field"))) : Optional.empty();
            }
        }
    }

    /**
     * Records a message and its ACK code and returns its id.
     *
     * @throws DuplicateMessageException if the same sender + control id is already recorded (a concurrent resend
     *                                   won the race): the transaction must roll back and answer as the first did
     */
    public long record(Connection c, String sender, String controlId, String messageType, String ackCode,
                       String ackText, Integer errorCode, String errorSegment, Integer errorField, Instant now)
            throws SQLException {
        return record(c, sender, controlId, messageType, ackCode, ackText, errorCode, errorSegment, errorField, null,
                now);
    }

    /**
     * As {@link #record(Connection, String, String, String, String, String, Integer, String, Integer, Instant)},
     * keeping {@code rawMessage} (the message as decoded, or null) for a replay.
     */
    public long record(Connection c, String sender, String controlId, String messageType, String ackCode,
                       String ackText, Integer errorCode, String errorSegment, Integer errorField, String rawMessage,
                       Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO inbound_message (sender, control_id, message_type, ack_code, ack_text, error_code, "
                        + "error_segment, error_field, received_at, raw_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[]{"id"})) {
            ps.setString(1, Sql.cap(sender, 200));
            ps.setString(2, Sql.cap(controlId, 200));
            ps.setString(3, Sql.cap(messageType, 20));
            ps.setString(4, ackCode);
            ps.setString(5, Sql.cap(ackText, 500));
            Sql.setInteger(ps, 6, errorCode);
            ps.setString(7, Sql.cap(errorSegment, 10));
            Sql.setInteger(ps, 8, errorField);
            Sql.setInstant(ps, 9, now);
            // Cut short it could not be replayed faithfully: then it is not kept at all.
            String raw = rawMessage == null ? null : cipher.seal("inbound_message.raw_message", rawMessage);
            ps.setString(10, raw == null || raw.length() > RAW_MAX ? null : raw);
            long id = Sql.executeForId(ps);
            AUDIT.engine(c, "hl7_in", "inbound:" + id, ackCode, null, now);
            return id;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new DuplicateMessageException();
            }
            throw e;
        }
    }

    /** Each sender's newest message received after {@code since} (reads ix_inbound_received's range only). */
    public java.util.Map<String, Instant> lastReceivedBySender(Connection c, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sender, MAX(received_at) AS last_at FROM inbound_message "
                + "WHERE received_at > ? GROUP BY sender")) {
            Sql.setInstant(ps, 1, since);
            java.util.Map<String, Instant> out = new java.util.HashMap<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString("sender"), Sql.getInstant(rs, "last_at"));
                }
            }
            return out;
        }
    }

    /**
     * A received message as an analyst sees it: its receipt and ACK, never its content. {@code replayable}: its text
     * is kept and it was answered AE/AR. {@code replayedBy}/{@code replayedAt}: the last replay, or null.
     */
    public record Receipt(long id, String sender, String controlId, String messageType, String ackCode,
                          String ackText, Integer errorCode, Instant receivedAt, boolean replayable,
                          String replayedBy, Instant replayedAt) {
    }

    private static final String RECEIPT_COLUMNS = "m.id, m.sender, m.control_id, m.message_type, m.ack_code, "
            + "m.ack_text, m.error_code, m.received_at, "
            + "CASE WHEN m.raw_message IS NULL THEN 0 ELSE 1 END AS has_raw, "
            + "(SELECT r.replayed_by FROM inbound_replay r WHERE r.inbound_id = m.id ORDER BY r.id DESC "
            + "FETCH FIRST 1 ROWS ONLY) AS replayed_by, "
            + "(SELECT MAX(r.replayed_at) FROM inbound_replay r WHERE r.inbound_id = m.id) AS replayed_at";

    /**
     * Received messages, newest first: those with MSH-10 {@code controlId} (any sender, or only {@code sender}),
     * or with {@code controlId} null the latest ones (of {@code sender}, when given).
     */
    public List<Receipt> receipts(Connection c, String controlId, String sender, int limit) throws SQLException {
        List<String> where = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (controlId != null) {
            where.add("m.control_id = ?");
            values.add(Sql.cap(controlId, 200));
        }
        if (sender != null) {
            where.add("m.sender = ?");
            values.add(Sql.cap(sender, 200));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RECEIPT_COLUMNS + " FROM inbound_message m"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY m.id DESC FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY")) {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 1, values.get(i));
            }
            List<Receipt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(receipt(rs));
                }
            }
            return out;
        }
    }

    /** One received message's receipt, by id. */
    public Optional<Receipt> receipt(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RECEIPT_COLUMNS
                + " FROM inbound_message m WHERE m.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(receipt(rs)) : Optional.empty();
            }
        }
    }

    private static Receipt receipt(ResultSet rs) throws SQLException {
        String ack = rs.getString("ack_code");
        boolean hasRaw = rs.getInt("has_raw") == 1;
        return new Receipt(rs.getLong("id"), rs.getString("sender"), rs.getString("control_id"),
                rs.getString("message_type"), ack, rs.getString("ack_text"), Sql.getInteger(rs, "error_code"),
                Sql.getInstant(rs, "received_at"), hasRaw && replayable(ack), rs.getString("replayed_by"),
                Sql.getInstant(rs, "replayed_at"));
    }

    /** Only a message that was not applied (AE or AR) may be processed again: an AA'd one's effect stands. */
    public static boolean replayable(String ackCode) {
        return "AE".equals(ackCode) || "AR".equals(ackCode);
    }

    /** The message as received, for a replay; empty when it was not kept (received before it was, or too long). */
    public Optional<String> rawMessage(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT raw_message FROM inbound_message WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(cipher.open("inbound_message.raw_message", rs.getString(1)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Gives message {@code id} the answer of its replay by {@code user}, keeping the answer it had in
     * inbound_replay — only while it is still answered AE/AR (the row is locked, so of two replays at once the
     * second finds the first's answer). False, changing nothing, when it is not: its effect was applied meanwhile.
     * In the caller's transaction, which for an AA also applies the effect.
     */
    public boolean supersede(Connection c, long id, String ackCode, String ackText, Integer errorCode,
                             String errorSegment, Integer errorField, String user, Instant now) throws SQLException {
        String previousCode;
        String previousText;
        Integer previousError;
        try (PreparedStatement ps = c.prepareStatement("SELECT ack_code, ack_text, error_code FROM inbound_message "
                + "WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                previousCode = rs.getString(1);
                previousText = rs.getString(2);
                previousError = Sql.getInteger(rs, "error_code");
            }
        }
        if (!replayable(previousCode)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE inbound_message SET ack_code = ?, ack_text = ?, "
                + "error_code = ?, error_segment = ?, error_field = ? WHERE id = ? AND ack_code IN ('AE', 'AR')")) {
            ps.setString(1, ackCode);
            ps.setString(2, Sql.cap(ackText, 500));
            Sql.setInteger(ps, 3, errorCode);
            ps.setString(4, Sql.cap(errorSegment, 10));
            Sql.setInteger(ps, 5, errorField);
            ps.setLong(6, id);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_replay (inbound_id, replayed_by, "
                + "replayed_at, previous_ack_code, previous_ack_text, previous_error_code, ack_code, ack_text, "
                + "error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, Sql.cap(user, 100));
            Sql.setInstant(ps, 3, now);
            ps.setString(4, previousCode);
            ps.setString(5, previousText);
            Sql.setInteger(ps, 6, previousError);
            ps.setString(7, ackCode);
            ps.setString(8, Sql.cap(ackText, 500));
            Sql.setInteger(ps, 9, errorCode);
            ps.executeUpdate();
        }
        return true;
    }
}
