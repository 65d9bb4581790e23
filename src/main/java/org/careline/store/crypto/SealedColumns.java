package org.careline.store.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every column the store seals or hashes (docs/encryption.md), and the batch work of the re-sealer over them: a value
 * in clear (written before encryption was switched on) or sealed with a key that is no longer the active one is
 * sealed again with the active key; a number or MRN still in clear in a lookup column becomes its keyed hash, the
 * value moving to the sealed column beside it. Each batch is a few rows in the caller's transaction, and each row
 * is changed only if it still holds what was read (a sender or ingest that wrote meanwhile wins).
 */
public final class SealedColumns {

    /**
     * One column of the store.
     *
     * @param table    the table
     * @param key      its key column (id; contact_preference is keyed by the number itself)
     * @param column   the column
     * @param purpose  for a lookup column: its keyed-hash purpose ({@link FieldCipher#PHONE}, ...); null: sealed
     * @param sealedTo for a lookup column: the sealed column the value moves to, or null (the hash alone is kept)
     * @param keep     a clear value that stays as it is ('{}' of an emptied webhook body, 'erased'), or null
     */
    public record Column(String table, String key, String column, String purpose, String sealedTo, String keep) {

        public boolean lookup() {
            return purpose != null;
        }

        public String name() {
            return table + "." + column;
        }

        boolean textKey() {
            return !"id".equals(key);
        }
    }

    /** The sealed columns, then the lookup columns (whose conversion also fills sealed columns listed first). */
    public static final List<Column> ALL = List.of(
            sealed("patient", "given_name", null),
            sealed("patient", "family_name", null),
            sealed("patient", "phone_sealed", null),
            sealed("patient", "identifier_sealed", null),
            sealed("appointment", "instructions", null),
            sealed("outbox", "body", null),
            sealed("outbox", "recipient_sealed", null),
            sealed("inbound_reply", "content", null),
            sealed("inbound_reply", "payload", null),
            sealed("inbound_reply", "from_sealed", null),
            sealed("staff_handoff", "phone_sealed", null),
            sealed("handoff_event", "body", null),
            sealed("webhook_delivery", "body", "{}"),
            sealed("inbound_message", "raw_message", null),
            new Column("patient", "id", "phone_e164", FieldCipher.PHONE, "phone_sealed", null),
            new Column("patient", "id", "identifier", FieldCipher.MRN, "identifier_sealed", null),
            new Column("patient", "id", "patient_key", FieldCipher.PATIENT_KEY, null, "erased:"),
            new Column("outbox", "id", "recipient_phone", FieldCipher.PHONE, "recipient_sealed", null),
            new Column("inbound_reply", "id", "from_phone", FieldCipher.PHONE, "from_sealed", "erased"),
            new Column("staff_handoff", "id", "phone_e164", FieldCipher.PHONE, "phone_sealed", "erased"),
            new Column("contact_preference", "phone_e164", "phone_e164", FieldCipher.PHONE, null, null));

    private static Column sealed(String table, String column, String keep) {
        return new Column(table, "id", column, null, null, keep);
    }

    /** One batch's outcome: rows read, rows changed, rows that could not be opened, and where the next starts. */
    public record Batch(int read, int changed, int unreadable, String lastKey) {
        public boolean last(int size) {
            return read < size;
        }
    }

    private final FieldCipher cipher;

    public SealedColumns(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** Where a first batch starts. */
    public static String firstKey(Column col) {
        return col.textKey() ? "" : "0";
    }

    /**
     * Re-seals (or hashes) up to {@code size} rows of {@code col} after {@code afterKey} that need it under the
     * active key, in key order.
     */
    public Batch reseal(Connection c, Column col, String afterKey, int size) throws SQLException {
        String active = cipher.activeKeyId();
        if (active == null) {
            return new Batch(0, 0, 0, afterKey);
        }
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + col.key() + ", " + col.column() + " FROM "
                + col.table() + " WHERE " + col.key() + " > ? AND " + needsWork(col) + " ORDER BY " + col.key()
                + " FETCH FIRST " + size + " ROWS ONLY")) {
            bindKey(ps, 1, col, afterKey);
            ps.setString(2, col.lookup() ? "h1:%" : FieldCipher.PREFIX + active + ":%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        int changed = 0;
        int unreadable = 0;
        for (String[] row : rows) {
            try {
                changed += col.lookup() ? hash(c, col, row[0], row[1]) : reseal(c, col, row[0], row[1]);
            } catch (FieldCipher.SealedValueException e) {
                unreadable++; // sealed with a key this ring does not hold: left as it is, counted by status
            }
        }
        return new Batch(rows.size(), changed, unreadable, rows.isEmpty() ? afterKey : rows.get(rows.size() - 1)[0]);
    }

    /** The rows of the column that still need the re-sealer: clear, or sealed with another key than the active one. */
    private static String needsWork(Column col) {
        String keep = col.keep() == null ? ""
                : col.keep().endsWith(":") ? " AND " + col.column() + " NOT LIKE '" + col.keep() + "%'"
                : " AND " + col.column() + " <> '" + col.keep() + "'";
        return col.column() + " IS NOT NULL AND " + col.column() + " NOT LIKE ?" + keep;
    }

    private int reseal(Connection c, Column col, String key, String stored) throws SQLException {
        String plain = cipher.open(col.name(), stored);
        String extra = "";
        boolean webhook = col.table().equals("webhook_delivery") && FieldCipher.keyIdOf(stored) == null;
        if (webhook) {
            extra = ", body_hash = ?"; // a clear body's SHA-256 becomes the keyed hash along with it
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table() + " SET " + col.column() + " = ?"
                + extra + " WHERE " + col.key() + " = ? AND " + col.column() + " = ?")) {
            int i = 1;
            ps.setString(i++, cipher.seal(col.name(), plain));
            if (webhook) {
                ps.setString(i++, cipher.lookupHash(FieldCipher.WEBHOOK_BODY, plain));
            }
            bindKey(ps, i++, col, key);
            ps.setString(i, stored);
            return ps.executeUpdate();
        }
    }

    private int hash(Connection c, Column col, String key, String clear) throws SQLException {
        String hash = cipher.lookupHash(col.purpose(), clear);
        if (col.textKey()) {
            return hashKey(c, col, clear, hash);
        }
        String sealedTo = col.sealedTo() == null ? "" : ", " + col.sealedTo() + " = ?";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table() + " SET " + col.column() + " = ?"
                + sealedTo + " WHERE id = ? AND " + col.column() + " = ?")) {
            int i = 1;
            ps.setString(i++, hash);
            if (col.sealedTo() != null) {
                ps.setString(i++, cipher.seal(col.table() + "." + col.sealedTo(), clear));
            }
            ps.setLong(i++, Long.parseLong(key));
            ps.setString(i, clear);
            return ps.executeUpdate();
        }
    }

    /**
     * contact_preference is keyed by the number: the clear row is re-keyed to the hash, unless a row under the hash
     * exists already (written after encryption was switched on); then that one stays, keeping an opt-out of either.
     */
    private static int hashKey(Connection c, Column col, String clear, String hash) throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM contact_preference WHERE phone_e164 = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        if (!exists) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE contact_preference SET phone_e164 = ? WHERE phone_e164 = ?")) {
                ps.setString(1, hash);
                ps.setString(2, clear);
                return ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE contact_preference SET opted_out = TRUE, "
                + "opted_out_at = COALESCE(opted_out_at, (SELECT o.opted_out_at FROM contact_preference o "
                + "WHERE o.phone_e164 = ?)) WHERE phone_e164 = ? AND EXISTS (SELECT 1 FROM contact_preference o "
                + "WHERE o.phone_e164 = ? AND o.opted_out = TRUE)")) {
            ps.setString(1, clear);
            ps.setString(2, hash);
            ps.setString(3, clear);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM contact_preference WHERE phone_e164 = ?")) {
            ps.setString(1, clear);
            return ps.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement ps, int i, Column col, String key) throws SQLException {
        if (col.textKey()) {
            ps.setString(i, key);
        } else {
            ps.setLong(i, Long.parseLong(key));
        }
    }

    /**
     * How many stored values each data key seals, over every sealed column; {@code "clear"}: values of sealed
     * columns still in clear; {@code "unhashed"}: numbers and MRNs still in clear in lookup columns.
     */
    public static Map<String, Long> counts(Connection c, List<String> keyIds) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : keyIds) {
            out.put(id, 0L);
        }
        out.put("clear", 0L);
        out.put("unhashed", 0L);
        for (Column col : ALL) {
            if (col.lookup()) {
                out.merge("unhashed", count(c, col, needsWork(col), "h1:%"), Long::sum);
                continue;
            }
            for (String id : keyIds) {
                out.merge(id, count(c, col, col.column() + " LIKE ?", FieldCipher.PREFIX + id + ":%"), Long::sum);
            }
            out.merge("clear", count(c, col, needsWork(col), FieldCipher.PREFIX + "%"), Long::sum);
        }
        return out;
    }

    private static long count(Connection c, Column col, String where, String pattern) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + col.table() + " WHERE " + where)) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
