package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Every HL7 message received, by sender and MSH-10: the memory that makes a resend have no second effect. */
public final class InboundLog {

    /** The ACK a message got the first time; the error fields are set for AE/AR. */
    public record Outcome(long id, String messageType, String ackCode, String ackText, Integer errorCode,
                          String errorSegment, Integer errorField) {
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
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO inbound_message (sender, control_id, message_type, ack_code, ack_text, error_code, "
                        + "error_segment, error_field, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, Sql.cap(sender, 200));
            ps.setString(2, Sql.cap(controlId, 200));
            ps.setString(3, Sql.cap(messageType, 20));
            ps.setString(4, ackCode);
            ps.setString(5, Sql.cap(ackText, 500));
            Sql.setInteger(ps, 6, errorCode);
            ps.setString(7, Sql.cap(errorSegment, 10));
            Sql.setInteger(ps, 8, errorField);
            Sql.setInstant(ps, 9, now);
            return Sql.executeForId(ps);
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
}
