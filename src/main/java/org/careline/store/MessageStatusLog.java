package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Each delivery status Meta reported for a message we sent, once per wamid and status (message_status). */
public final class MessageStatusLog {

    /**
     * Records one status.
     *
     * @throws DuplicateMessageException if this wamid already has this status (Meta delivered it again): the
     *                                   transaction must roll back, the status had its effect the first time
     */
    public void record(Connection c, String wamid, String status, Instant occurredAt, Integer errorCode,
                       String errorTitle, long deliveryId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_status (wamid, status, occurred_at, "
                + "error_code, error_title, delivery_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, wamid);
            ps.setString(2, Sql.cap(status, 20));
            Sql.setInstant(ps, 3, occurredAt);
            Sql.setInteger(ps, 4, errorCode);
            ps.setString(5, Sql.cap(errorTitle, 600));
            ps.setLong(6, deliveryId);
            Sql.setInstant(ps, 7, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new DuplicateMessageException();
            }
            throw e;
        }
    }
}
