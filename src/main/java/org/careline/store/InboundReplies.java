package org.careline.store;

import org.careline.model.InboundMessage;
import org.careline.store.crypto.FieldCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Messages patients sent (inbound_reply, once per wamid) and when each number last wrote (contact_preference), which
 * opens WhatsApp's 24-hour window for free-form replies. Rows hold PHI: log ids and wamids only.
 */
public final class InboundReplies {

    private final FieldCipher cipher;

    /** @param cipher hashes and seals the number, seals the text and payload */
    public InboundReplies(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * Records a message and returns its row id.
     *
     * @throws DuplicateMessageException if the wamid is recorded already (now, or by a concurrent transaction that
     *                                   committed first): the transaction must roll back, the message had its effect
     */
    public long record(Connection c, InboundMessage m, long deliveryId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_reply (wamid, from_phone, message_type, "
                + "context_wamid, content, payload, latitude, longitude, sent_at, delivery_id, recorded_at, from_sealed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setString(1, m.wamid());
            ps.setString(2, cipher.lookupHash(FieldCipher.PHONE, m.fromE164()));
            ps.setString(3, Sql.cap(m.type(), 30));
            ps.setString(4, Sql.cap(m.contextWamid(), 200));
            ps.setString(5, cipher.seal("inbound_reply.content", Sql.cap(m.text(), 8192)));
            ps.setString(6, cipher.seal("inbound_reply.payload", Sql.cap(m.payload(), 4000)));
            setDouble(ps, 7, m.latitude());
            setDouble(ps, 8, m.longitude());
            Sql.setInstant(ps, 9, m.sentAt());
            ps.setLong(10, deliveryId);
            Sql.setInstant(ps, 11, now);
            ps.setString(12, cipher.sealPair("inbound_reply.from_sealed", m.fromE164()));
            return Sql.executeForId(ps);
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new DuplicateMessageException();
            }
            throw e;
        }
    }

    /**
     * Notes that {@code phone} wrote at {@code inboundAt}: last_inbound_at only ever moves forward (messages may be
     * processed out of order). Creates the number's row when it has none.
     */
    public void touchLastInbound(Connection c, String phone, Instant inboundAt, Instant now) throws SQLException {
        // No row yet: two transactions may both insert one for a number; the loser fails on the primary key, its
        // transaction rolls back, and the message is processed again later, finding the row.
        Sql.updateElseInsert(c, "UPDATE contact_preference SET last_inbound_at = CASE WHEN last_inbound_at IS NULL "
                        + "OR last_inbound_at < ? THEN ? ELSE last_inbound_at END, updated_at = ? WHERE phone_e164 IN (?, ?)",
                ps -> {
                    Sql.setInstant(ps, 1, inboundAt);
                    Sql.setInstant(ps, 2, inboundAt);
                    Sql.setInstant(ps, 3, now);
                    cipher.bindLookup(ps, 4, FieldCipher.PHONE, phone);
                },
                "INSERT INTO contact_preference (phone_e164, opted_out, last_inbound_at, updated_at) "
                        + "VALUES (?, FALSE, ?, ?)",
                ps -> {
                    ps.setString(1, cipher.lookupHash(FieldCipher.PHONE, phone));
                    Sql.setInstant(ps, 2, inboundAt);
                    Sql.setInstant(ps, 3, now);
                });
    }

    private static void setDouble(PreparedStatement ps, int i, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, value);
        }
    }
}
