package org.careline.store;

import org.careline.model.OutboxStatus;
import org.careline.model.OrderPrior;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Result orders / documents, the notices announcing them and which notice covers which orders. No clinical data. */
public final class ResultStore {

    /** A stored order. */
    public record StoredOrder(long id, String status, boolean announced, boolean held) {
        public OrderPrior prior() {
            return new OrderPrior(announced, held);
        }
    }

    /** A notice's release time, for folding. */
    public record Recent(long noticeId, Instant releaseAt) {
    }

    public Optional<StoredOrder> find(Connection c, String source, String orderKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, status, announced, held FROM result_order WHERE source = ? AND order_key = ?")) {
            ps.setString(1, Sql.cap(source, 200));
            ps.setString(2, Sql.cap(orderKey, 420));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredOrder(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                        rs.getBoolean(4))) : Optional.empty();
            }
        }
    }

    /** Inserts or updates the order's status (and category); returns its id. */
    public long upsert(Connection c, String source, String orderKey, long patientId, String status, String category,
                       Instant now) throws SQLException {
        Optional<StoredOrder> existing = find(c, source, orderKey);
        if (existing.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE result_order SET patient_id = ?, "
                    + "status = COALESCE(?, status), category = ?, updated_at = ? WHERE id = ?")) {
                ps.setLong(1, patientId);
                ps.setString(2, Sql.cap(status, 10));
                ps.setString(3, Sql.cap(category, 50));
                Sql.setInstant(ps, 4, now);
                ps.setLong(5, existing.get().id());
                ps.executeUpdate();
            }
            return existing.get().id();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO result_order (source, order_key, patient_id, "
                + "status, category, announced, held, updated_at) VALUES (?, ?, ?, ?, ?, FALSE, FALSE, ?)",
                new String[]{"id"})) {
            ps.setString(1, Sql.cap(source, 200));
            ps.setString(2, Sql.cap(orderKey, 420));
            ps.setLong(3, patientId);
            ps.setString(4, Sql.cap(status, 10));
            ps.setString(5, Sql.cap(category, 50));
            Sql.setInstant(ps, 6, now);
            return Sql.executeForId(ps);
        }
    }

    public void mark(Connection c, long orderId, boolean announced, boolean held) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE result_order SET announced = (announced OR ?), held = (held OR ?) WHERE id = ?")) {
            ps.setBoolean(1, announced);
            ps.setBoolean(2, held);
            ps.setLong(3, orderId);
            ps.executeUpdate();
        }
    }

    /** The patient's latest immediate notice of {@code kind} released by {@code now} whose message was not withdrawn. */
    public Optional<Recent> lastImmediate(Connection c, long patientId, String kind, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rn.id, rn.release_at FROM result_notice rn "
                + "WHERE rn.patient_id = ? AND rn.kind = ? AND rn.release_at = rn.created_at AND rn.release_at <= ? "
                + "AND EXISTS (SELECT 1 FROM outbox o WHERE o.result_notice_id = rn.id AND o.status <> '"
                + OutboxStatus.CANCELLED.dbValue() + "') "
                + "ORDER BY rn.release_at DESC, rn.id DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setLong(1, patientId);
            ps.setString(2, kind);
            Sql.setInstant(ps, 3, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Recent(rs.getLong(1), Sql.getInstant(rs, "release_at")))
                        : Optional.empty();
            }
        }
    }

    public long createNotice(Connection c, long patientId, String reference, String kind, String siteCode,
                             Instant releaseAt, Instant expiresAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO result_notice (patient_id, reference, kind, "
                + "site_code, release_at, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setLong(1, patientId);
            ps.setString(2, reference);
            ps.setString(3, kind);
            ps.setString(4, Sql.cap(siteCode, 100));
            Sql.setInstant(ps, 5, releaseAt);
            Sql.setInstant(ps, 6, expiresAt);
            Sql.setInstant(ps, 7, now);
            return Sql.executeForId(ps);
        }
    }

    public void link(Connection c, long noticeId, long orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO result_notice_order (notice_id, order_id) "
                + "SELECT ?, ? FROM result_order WHERE id = ? AND NOT EXISTS (SELECT 1 FROM result_notice_order "
                + "WHERE notice_id = ? AND order_id = ?)")) {
            ps.setLong(1, noticeId);
            ps.setLong(2, orderId);
            ps.setLong(3, orderId);
            ps.setLong(4, noticeId);
            ps.setLong(5, orderId);
            ps.executeUpdate();
        }
    }

    /** Notices covering the order all of whose orders are now cancelled (X): their pending messages are withdrawn. */
    public List<Long> noticesFullyCancelled(Connection c, long orderId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.notice_id FROM result_notice_order l "
                + "WHERE l.order_id = ? AND NOT EXISTS (SELECT 1 FROM result_notice_order l2 "
                + "JOIN result_order r ON r.id = l2.order_id WHERE l2.notice_id = l.notice_id "
                + "AND (r.status IS NULL OR r.status <> 'X'))")) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** A document's PDF stored for its notice (document_attachment); {@code mediaId} once uploaded, else null. */
    public record Attachment(long id, long noticeId, String filename, String contentType, byte[] pdf, String mediaId) {
    }

    /** Stores the PDF sent with the notice (as base64 text: portable SQL). */
    public long addAttachment(Connection c, long noticeId, String filename, String contentType, byte[] pdf,
                              Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO document_attachment (notice_id, filename, "
                + "content_type, size_bytes, data, created_at) VALUES (?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
            ps.setLong(1, noticeId);
            ps.setString(2, Sql.cap(filename, 100));
            ps.setString(3, Sql.cap(contentType, 100));
            ps.setInt(4, pdf.length);
            ps.setString(5, java.util.Base64.getEncoder().encodeToString(pdf));
            Sql.setInstant(ps, 6, now);
            return Sql.executeForId(ps);
        }
    }

    public Optional<Attachment> attachment(Connection c, long noticeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, filename, content_type, data, media_id "
                + "FROM document_attachment WHERE notice_id = ?")) {
            ps.setLong(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Attachment(rs.getLong(1), noticeId, rs.getString(2),
                        rs.getString(3), java.util.Base64.getDecoder().decode(rs.getString(4)), rs.getString(5)))
                        : Optional.empty();
            }
        }
    }

    /** Remembers the Cloud API media id of the uploaded PDF, so that retries send it without uploading again. */
    public void setMediaId(Connection c, long attachmentId, String mediaId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE document_attachment SET media_id = ?, uploaded_at = ? WHERE id = ?")) {
            ps.setString(1, Sql.cap(mediaId, 200));
            Sql.setInstant(ps, 2, now);
            ps.setLong(3, attachmentId);
            ps.executeUpdate();
        }
    }
}
