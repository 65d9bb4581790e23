package org.careline.store.crypto;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The data_key table: wrapped data keys, oldest first; the newest is the active one. */
public final class DataKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Opens the ring, creating the first data key when the database has none yet. */
    public KeyRing ring(Connection c, MasterKey master, Instant now) throws SQLException {
        List<KeyRing.Wrapped> stored = load(c);
        if (stored.isEmpty()) {
            stored = List.of(insert(c, master, now));
        }
        return KeyRing.open(master, stored);
    }

    /** Adds a new active key; values sealed with the older ones still open until they are re-sealed. */
    public KeyRing rotate(Connection c, MasterKey master, Instant now) throws SQLException {
        KeyRing.open(master, load(c)); // refuses a master key that does not open what is there
        insert(c, master, now);
        return KeyRing.open(master, load(c));
    }

    /** Drops keys that seal nothing any more (the caller has checked); the active one always stays. */
    public int retire(Connection c, List<String> keyIds, String activeId) throws SQLException {
        int removed = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM data_key WHERE key_id = ?")) {
            for (String id : keyIds) {
                if (!id.equals(activeId)) {
                    ps.setString(1, id);
                    removed += ps.executeUpdate();
                }
            }
        }
        return removed;
    }

    public List<KeyRing.Wrapped> load(Connection c) throws SQLException {
        List<KeyRing.Wrapped> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key_id, wrapped FROM data_key ORDER BY created_at, key_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new KeyRing.Wrapped(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    private static KeyRing.Wrapped insert(Connection c, MasterKey master, Instant now) throws SQLException {
        // Time first so ids sort like their age; random bytes so two engines rotating at once never collide.
        byte[] salt = new byte[3];
        RANDOM.nextBytes(salt);
        String id = "k" + Long.toString(now.getEpochSecond(), 36) + HexFormat.of().formatHex(salt);
        KeyRing.Wrapped w = KeyRing.newDataKey(master, id);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO data_key (key_id, wrapped, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, w.keyId());
            ps.setString(2, w.wrapped());
            ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return w;
    }
}
