package org.careline.store;

import org.careline.store.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook POSTs from Meta, stored as received before they are answered, then processed from here in id order.
 * The body holds PHI (what patients wrote, their numbers): never log it, log the delivery id.
 */
public final class WebhookDeliveries {

    /** Every webhook stored is a message in: one trail entry, in the same transaction. */
    private static final AuditLog AUDIT = new AuditLog();


    /**
     * webhook_delivery as a work queue: no status and no lease (a batch is processed in the transaction that read
     * it); processed_at stamps it done, next_attempt_at holds it back for a retry. ORDER BY processed_at (NULL
     * here), id: the columns of ix_webhook_delivery_pending, so the database reads that index in order.
     */
    static final WorkQueue QUEUE = new WorkQueue(WorkTable.withDoneStamp("webhook_delivery", "processed_at",
            "next_attempt_at", "attempts", "error", 600, "processed_at, id"));

    /** A delivery not processed yet, with how often processing it has failed so far. */
    public record Pending(long id, int attempts) {
    }

    /** What {@link #store} did with a body. */
    public sealed interface Recorded permits Stored, Repeat {
    }

    /** A body not seen before, stored as delivery {@code id}. */
    public record Stored(long id) implements Recorded {
    }

    /** The same body as delivery {@code firstId} (Meta retrying, or someone replaying it): not stored again. */
    public record Repeat(long firstId) implements Recorded {
    }

    /** The lookup purpose of body_hash when encryption is on. */
    public static final String BODY_HASH = FieldCipher.WEBHOOK_BODY;

    private final FieldCipher cipher;

    /**
     * @param cipher seals the body; with a key the body_hash is keyed too (a plain SHA-256 of a short body could be
     *               confirmed by guessing it), so equal bodies still match without the hash telling anything
     */
    public WebhookDeliveries(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * Stores a delivery unless the same body (by its SHA-256) is stored already. With {@code unprocessable} set it
     * is stored as processed already, with that error: kept for the record, never processed. The check is a lookup
     * before a plain INSERT, not a unique index: a unique violation inside a group commit would fail the other
     * senders' webhooks sharing the transaction. One engine runs its groups one after another, each on one
     * connection, so the lookup sees every earlier copy; only two engines on one database taking the same body at
     * the same moment may both store it, and it is then worked off as before (each wamid has one effect).
     */
    public Recorded store(Connection c, String body, String unprocessable, Instant now) throws SQLException {
        String hash = hashOf(body);
        // Both forms: a body stored before encryption was switched on keeps its SHA-256 until the re-sealer has it.
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM webhook_delivery WHERE body_hash IN (?, ?) "
                + "ORDER BY id")) {
            ps.setString(1, hash);
            ps.setString(2, sha256(body));
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Repeat(rs.getLong(1));
                }
            }
        }
        return new Stored(insert(c, body, hash, unprocessable, now));
    }

    /**
     * Stores a delivery and returns its id, even when the same body is stored already (use {@link #store}, which
     * stores a repeat once).
     */
    public long record(Connection c, String body, String unprocessable, Instant now) throws SQLException {
        return insert(c, body, hashOf(body), unprocessable, now);
    }

    private long insert(Connection c, String body, String hash, String unprocessable, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery (body, received_at, "
                + "processed_at, attempts, error, body_hash) VALUES (?, ?, ?, 0, ?, ?)", new String[]{"id"})) {
            ps.setString(1, cipher.seal("webhook_delivery.body", body));
            Sql.setInstant(ps, 2, now);
            Sql.setInstant(ps, 3, unprocessable == null ? null : now);
            ps.setString(4, Sql.cap(unprocessable, 600));
            ps.setString(5, hash);
            long id = Sql.executeForId(ps);
            AUDIT.engine(c, "webhook_in", "webhook:" + id, unprocessable == null ? "ok" : "unprocessable", null, now);
            return id;
        }
    }

    /** What body_hash holds: keyed with a master key, SHA-256 without. */
    public String hashOf(String body) {
        return cipher.enabled() ? cipher.lookupHash(BODY_HASH, body) : sha256(body);
    }

    static String sha256(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Up to {@code limit} deliveries to process now, oldest first (those waiting for a retry only once due); without
     * their bodies, which may be large: {@link #body} reads one at a time.
     */
    public List<Pending> pending(Connection c, Instant now, int limit) throws SQLException {
        List<Pending> out = new ArrayList<>();
        for (WorkQueue.Waiting w : QUEUE.waitingDue(c, now, limit)) {
            out.add(new Pending(w.id(), w.attempts()));
        }
        return out;
    }

    /** The body of a delivery as received. */
    public String body(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM webhook_delivery WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("webhook delivery " + id + " not found");
                }
                return cipher.open("webhook_delivery.body", rs.getString(1));
            }
        }
    }

    /** Done (for good): {@code error} says what could not be used, or is null. */
    public void markProcessed(Connection c, long id, int attempts, String error, Instant now) throws SQLException {
        QUEUE.finish(c, id, null, attempts, error, now);
    }

    /** Not done: to be tried again from {@code nextAttempt}. */
    public void markRetry(Connection c, long id, int attempts, String error, Instant nextAttempt, Instant now)
            throws SQLException {
        QUEUE.retry(c, id, attempts, nextAttempt, error, now);
    }
}
