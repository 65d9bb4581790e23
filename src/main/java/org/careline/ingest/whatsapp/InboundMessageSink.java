package org.careline.ingest.whatsapp;

import org.careline.model.InboundMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Where a patient's message goes once it is recorded: called in the same transaction that stored it (as row
 * {@code inboundReplyId} of inbound_reply), so each message has its effect exactly once.
 */
@FunctionalInterface
public interface InboundMessageSink {
    void accept(Connection c, InboundMessage message, long inboundReplyId, Instant now) throws SQLException;
}
