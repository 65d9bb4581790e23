package org.careline.store.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Seals one column value (a name, a phone number, a message body) with the active data key, and opens it again.
 * A sealed value reads {@code enc:v1:<key id>:<base64url(iv, ciphertext, tag)>}; the column it belongs to is bound
 * in as associated data, so a value moved into another column (or another row's purpose) does not open.
 *
 * <p>{@link #off()} is the cipher for a deployment without a master key: it stores and returns text as it is, and
 * still opens nothing sealed (a database sealed once stays unreadable without its key rather than half-read).
 */
public final class FieldCipher {

    static final String PREFIX = "enc:v1:";

    /** Lookup purpose of every phone column: one purpose for all, so tables still join on the number. */
    public static final String PHONE = "phone";
    /** Lookup purpose of patient.identifier (the MRN). */
    public static final String MRN = "mrn";
    /** Lookup purpose of patient.patient_key (source|authority|MRN). */
    public static final String PATIENT_KEY = "patient_key";
    /** Lookup purpose of webhook_delivery.body_hash: equal bodies match, and the hash does not confirm a guess. */
    public static final String WEBHOOK_BODY = "webhook_body";

    /** Volatile: the re-sealer swaps in a reloaded ring after a rotation while senders and ingest keep sealing. */
    private volatile KeyRing ring;

    private FieldCipher(KeyRing ring) {
        this.ring = ring;
    }

    public static FieldCipher with(KeyRing ring) {
        return new FieldCipher(ring);
    }

    public static FieldCipher off() {
        return new FieldCipher(null);
    }

    public boolean enabled() {
        return ring != null;
    }

    /**
     * Uses a reloaded ring (after {@code careline keys rotate} added a key): new values are sealed with its active
     * key from now on. A cipher made {@link #off()} stays off: encryption is switched on by a restart, not here.
     */
    public void reload(KeyRing next) {
        if (ring == null || next == null) {
            throw new IllegalStateException("encryption is off in this engine; restart with a master key");
        }
        ring = next;
    }

    /** The active data key's id, or null when off. */
    public String activeKeyId() {
        KeyRing r = ring;
        return r == null ? null : r.activeId();
    }

    /** The ids of the data keys this cipher opens (empty when off). */
    public java.util.Set<String> keyIds() {
        KeyRing r = ring;
        return r == null ? java.util.Set.of() : r.keyIds();
    }

    /**
     * Binds the two forms a looked-up value may be stored in, for {@code column IN (?, ?)}: its keyed hash and the
     * value itself. The clear form finds rows written before encryption was switched on that the re-sealer has not
     * turned into hashes yet; without a key both are the value.
     */
    public void bindLookup(java.sql.PreparedStatement ps, int index, String purpose, String value)
            throws java.sql.SQLException {
        ps.setString(index, lookupHash(purpose, value));
        ps.setString(index + 1, value);
    }

    /** True when a stored lookup column already holds a keyed hash. */
    public static boolean isLookupHash(String stored) {
        return stored != null && stored.startsWith("h1:");
    }

    /**
     * The value of a (hash, sealed) pair as written by the store: the sealed column opened, or, for a row written
     * before encryption was on (no sealed value yet), the lookup column when it holds the value itself.
     */
    public String openPair(String sealedColumn, String sealed, String lookup) {
        if (sealed != null) {
            return open(sealedColumn, sealed);
        }
        return isLookupHash(lookup) ? null : lookup;
    }

    /** Seals the value for the sealed half of a (hash, sealed) pair; null when off (the lookup column is the value). */
    public String sealPair(String sealedColumn, String plain) {
        return ring == null ? null : seal(sealedColumn, plain);
    }

    /** @param column where the value lives, e.g. {@code patient.family_name}; the same string must open it */
    public String seal(String column, String plain) {
        KeyRing r = ring; // one ring for the key and its id, even if a reload lands in between
        if (plain == null || r == null) {
            return plain;
        }
        byte[] sealed = KeyRing.gcm(Cipher.ENCRYPT_MODE, r.active(), plain.getBytes(StandardCharsets.UTF_8),
                aad(column, r.activeId()));
        return PREFIX + r.activeId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * @throws SealedValueException when the value is sealed and cannot be opened here (no key, unknown key id, or
     *                              changed bytes); text that was never sealed is returned as it is
     */
    public String open(String column, String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new SealedValueException(column, "malformed");
        }
        String keyId = stored.substring(PREFIX.length(), colon);
        KeyRing r = ring;
        if (r == null) {
            throw new SealedValueException(column, "no master key is set");
        }
        javax.crypto.SecretKey key = r.key(keyId);
        if (key == null) {
            throw new SealedValueException(column, "unknown data key " + keyId);
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
            return new String(KeyRing.gcm(Cipher.DECRYPT_MODE, key, sealed, aad(column, keyId)),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SealedValueException(column, "does not open (changed, or sealed for another column)");
        }
    }

    /** The data key a stored value was sealed with, or null for clear text: what a rotation looks for. */
    public static String keyIdOf(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return null;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        return colon < 0 ? null : stored.substring(PREFIX.length(), colon);
    }

    /** True when the value is sealed with a key other than the active one (or not sealed while a key is set). */
    public boolean needsResealing(String stored) {
        KeyRing r = ring;
        return r != null && stored != null && !r.activeId().equals(keyIdOf(stored));
    }

    /**
     * A keyed hash for finding a row by equality (a phone number) without storing the value in clear: the same
     * input gives the same hash under the same master key, and nothing without it. Without a key it is the value.
     */
    public String lookupHash(String purpose, String value) {
        KeyRing r = ring;
        if (value == null || r == null) {
            return value;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(r.lookupKey());
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return "h1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static byte[] aad(String column, String keyId) {
        return (column + "\u0000" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored value that cannot be opened; names the column and why, never the value. */
    public static final class SealedValueException extends RuntimeException {
        public SealedValueException(String column, String why) {
            super("sealed value in " + column + ": " + why);
        }
    }
}
