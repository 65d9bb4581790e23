package org.careline.writeback;

import org.careline.model.WritebackAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Durable queue of requests to the scheduling system; rows are written in the caller's transaction. */
public final class WritebackQueue {

    public static final String PENDING = "PENDING";

    /** Queues a request, due at once; returns its id. */
    public long enqueue(Connection c, long appointmentId, WritebackAction action, Long inboundReplyId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO writeback_request (appointment_id, action, "
                + "inbound_reply_id, status, attempts, due_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?)", new String[]{"id"})) {
            OffsetDateTime t = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            ps.setLong(1, appointmentId);
            ps.setString(2, action.name());
            if (inboundReplyId == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, inboundReplyId);
            }
            ps.setObject(4, t);
            ps.setObject(5, t);
            ps.setObject(6, t);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
