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

    private final KeyRing ring;

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

    /** @param column where the value lives, e.g. {@code patient.family_name}; the same string must open it */
    public String seal(String column, String plain) {
        if (plain == null || ring == null) {
            return plain;
        }
        byte[] sealed = KeyRing.gcm(Cipher.ENCRYPT_MODE, ring.active(), plain.getBytes(StandardCharsets.UTF_8),
                aad(column, ring.activeId()));
        return PREFIX + ring.activeId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
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
        if (ring == null) {
            throw new SealedValueException(column, "no master key is set");
        }
        javax.crypto.SecretKey key = ring.key(keyId);
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
        return ring != null && stored != null && !ring.activeId().equals(keyIdOf(stored));
    }

    /**
     * A keyed hash for finding a row by equality (a phone number) without storing the value in clear: the same
     * input gives the same hash under the same master key, and nothing without it. Without a key it is the value.
     */
    public String lookupHash(String purpose, String value) {
        if (value == null || ring == null) {
            return value;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(ring.lookupKey());
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
