package org.careline.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail as a hash chain over audit_event (docs/audit.md). Writers ({@link AuditLog#record}) only INSERT,
 * in their own transactions, with no chain fields: ingest's group-committed transactions never wait on a chain
 * head. {@link #seal} (one sealer: the auditSeal timer, and {@code audit verify} before it checks) gives the
 * unsealed rows, in id order, consecutive seq numbers, each with the hash of the entry before and its own hash.
 * {@link #verify} walks the chain: a changed row no longer matches its hash, a removed one leaves a gap in seq.
 */
public final class AuditTrail {

    /** The prev_hash of the very first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** What {@link #verify} found. */
    public sealed interface Verification permits Intact, Changed, Missing {
    }

    /** Every sealed entry from the first retained one matches its hash and follows its predecessor. */
    public record Intact(long checked, Long lastSeq) implements Verification {
    }

    /** Entry {@code seq} (row {@code id}) no longer matches its hash: a field, its hash or its link was edited. */
    public record Changed(long seq, long id, long checked) implements Verification {
    }

    /**
     * Entry {@code seq} is gone (the row was deleted); {@code nextSeq}/{@code nextId} name the entry found in its
     * place, or are null when the gap is at the start and nothing follows.
     */
    public record Missing(long seq, Long nextSeq, Long nextId, long checked) implements Verification {
    }

    /** A row as the chain sees it. */
    record Entry(long id, Long seq, Instant at, String actor, String action, Long patientId, String subject,
                 String siteCode, String outcome, String detail, String remoteAddress, String prevHash,
                 String hash) {
    }

    /** Where the retained chain starts: after a prune, the first kept seq and the hash of the last removed. */
    record Anchor(long firstSeq, String prevHash) {
    }

    private static final String COLUMNS = "id, seq, at, actor, action, patient_id, subject, site_code, outcome, "
            + "detail, remote_address, prev_hash, hash";

    /**
     * SHA-256 (hex) over a canonical encoding of the entry's fields and {@code prevHash}: each value
     * length-prefixed (null distinct from empty), so no two different entries encode alike.
     */
    static String hash(Entry e, long seq, String prevHash) {
        StringBuilder b = new StringBuilder("careline-audit/1");
        field(b, Long.toString(seq));
        field(b, Long.toString(e.id()));
        field(b, e.at() == null ? null : e.at().toString());
        field(b, e.actor());
        field(b, e.action());
        field(b, e.patientId() == null ? null : e.patientId().toString());
        field(b, e.subject());
        field(b, e.siteCode());
        field(b, e.outcome());
        field(b, e.detail());
        field(b, e.remoteAddress());
        field(b, prevHash);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("every JDK has SHA-256", e1);
        }
    }

    private static void field(StringBuilder b, String value) {
        if (value == null) {
            b.append("|-");
        } else {
            b.append('|').append(value.length()).append(':').append(value);
        }
    }

    /**
     * Seals up to {@code max} unsealed entries, oldest id first, and returns how many. Run inside one transaction:
     * if another sealer got there first (a row already sealed, or its seq taken: uq_audit_seq) it throws and the
     * whole batch rolls back, so the chain never forks.
     */
    public int seal(Connection c, int max) throws SQLException {
        long headSeq;
        String headHash;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_event "
                + "WHERE seq = (SELECT MAX(seq) FROM audit_event)");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            } else {
                // Nothing sealed is left: a prune removed it all (start after its anchor) or this is the start.
                Optional<Anchor> anchor = anchor(c);
                headSeq = anchor.map(a -> a.firstSeq() - 1).orElse(0L);
                headHash = anchor.map(Anchor::prevHash).orElse(GENESIS);
            }
        }
        List<Entry> unsealed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event WHERE seq IS NULL "
                + "ORDER BY id")) {
            ps.setMaxRows(max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unsealed.add(entry(rs));
                }
            }
        }
        if (unsealed.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_event SET seq = ?, prev_hash = ?, hash = ? "
                + "WHERE id = ? AND seq IS NULL")) {
            for (Entry e : unsealed) {
                long seq = ++headSeq;
                String hash = hash(e, seq, headHash);
                ps.setLong(1, seq);
                ps.setString(2, headHash);
                ps.setString(3, hash);
                ps.setLong(4, e.id());
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("audit entry " + e.id() + " was sealed by another sealer meanwhile");
                }
                headHash = hash;
            }
        }
        return unsealed.size();
    }

    /** Seals everything unsealed now, in batches of a transaction each; returns how many. */
    public int sealAll(Database db) {
        int total = 0;
        while (true) {
            int n = db.inTransaction(c -> seal(c, 500));
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }

    /**
     * Walks the sealed entries in seq order from the first retained one (seq 1, or the latest anchor's first seq
     * after a prune) and reports the first that is changed or missing. Unsealed entries are not looked at: seal
     * first. The newest entries removed from the end leave no gap; the summary's last seq lets an operator compare
     * with an earlier run.
     */
    public Verification verify(Connection c) throws SQLException {
        Optional<Anchor> anchor = anchor(c);
        long expected = anchor.map(Anchor::firstSeq).orElse(1L);
        String prevHash = anchor.map(Anchor::prevHash).orElse(GENESIS);
        long checked = 0;
        Entry previous = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event "
                + "WHERE seq >= ? ORDER BY seq")) {
            ps.setLong(1, expected);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Entry e = entry(rs);
                    if (e.seq() != expected) {
                        return new Missing(expected, e.seq(), e.id(), checked);
                    }
                    boolean selfConsistent = hash(e, e.seq(), e.prevHash()).equals(e.hash());
                    if (!selfConsistent) {
                        return new Changed(e.seq(), e.id(), checked);
                    }
                    if (!prevHash.equals(e.prevHash())) {
                        // This entry is whole but does not follow its predecessor: the predecessor's hash was
                        // rewritten to cover an edit (or, for the first entry, the anchor does not match).
                        return previous == null ? new Changed(e.seq(), e.id(), checked)
                                : new Changed(previous.seq(), previous.id(), checked - 1);
                    }
                    checked++;
                    expected++;
                    prevHash = e.hash();
                    previous = e;
                }
            }
        }
        return new Intact(checked, previous == null ? null : previous.seq());
    }

    /**
     * The retention purge's way to remove old entries without breaking the chain: deletes the sealed entries, in
     * seq order, up to (not including) the first whose time is at or after {@code cutoff}, and records an anchor
     * (the first kept seq, and the prev_hash it carries) so {@link #verify} starts there. Unsealed entries are
     * never removed. Records an audit entry with the count. Returns how many were removed. On PostgreSQL the
     * trigger refuses entries younger than 6 months.
     */
    public int pruneBefore(Connection c, Instant cutoff) throws SQLException {
        Optional<Anchor> anchor = anchor(c);
        long from = anchor.map(Anchor::firstSeq).orElse(1L);
        // The first entry to keep: the lowest sealed seq at or after cutoff, else the one after the head.
        long keep;
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM audit_event "
                + "WHERE seq IS NOT NULL AND at >= ?")) {
            Sql.setInstant(ps, 1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long min = rs.getLong(1);
                keep = rs.wasNull() ? -1 : min;
            }
        }
        String keepPrev;
        if (keep < 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_event "
                    + "WHERE seq = (SELECT MAX(seq) FROM audit_event)");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                keep = rs.getLong(1) + 1;
                keepPrev = rs.getString(2);
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("SELECT prev_hash FROM audit_event WHERE seq = ?")) {
                ps.setLong(1, keep);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    keepPrev = rs.getString(1);
                }
            }
        }
        if (keep <= from) {
            return 0;
        }
        int removed;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_event WHERE seq IS NOT NULL AND seq < ?")) {
            ps.setLong(1, keep);
            removed = ps.executeUpdate();
        }
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_anchor (first_seq, prev_hash, removed, "
                + "cutoff, at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, keep);
            ps.setString(2, keepPrev);
            ps.setInt(3, removed);
            Sql.setInstant(ps, 4, cutoff);
            Sql.setInstant(ps, 5, now);
            ps.executeUpdate();
        }
        new AuditLog().record(c, new org.careline.model.AuditEntry("engine", "audit_prune", null, "audit:" + keep,
                null, "ok", "removed=" + removed + " before=" + cutoff, null), now);
        return removed;
    }

    private static Optional<Anchor> anchor(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, prev_hash FROM audit_anchor "
                + "ORDER BY first_seq DESC")) {
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Anchor(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        long seq = rs.getLong("seq");
        Long seqOrNull = rs.wasNull() ? null : seq;
        long patient = rs.getLong("patient_id");
        Long patientOrNull = rs.wasNull() ? null : patient;
        return new Entry(rs.getLong("id"), seqOrNull, Sql.getInstant(rs, "at"), rs.getString("actor"),
                rs.getString("action"), patientOrNull, rs.getString("subject"), rs.getString("site_code"),
                rs.getString("outcome"), rs.getString("detail"), rs.getString("remote_address"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }
}
