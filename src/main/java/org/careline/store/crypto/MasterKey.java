package org.careline.store.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The key that wraps the data keys: 32 random bytes given as base64 (CARELINE_MASTER_KEY or the file named by
 * CARELINE_MASTER_KEY_FILE). It never touches the database; only what it wraps does, so a copy of the database
 * without the environment reads as ciphertext.
 */
public final class MasterKey {

    static final int BYTES = 32;

    private final SecretKey key;

    private MasterKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    /**
     * Reads base64 (standard or URL-safe, surrounding white space ignored, as a file written by an editor has).
     *
     * @throws IllegalArgumentException naming what is wrong, never echoing the value
     */
    public static MasterKey fromBase64(String text) {
        String trimmed = text == null ? "" : text.strip();
        byte[] raw;
        try {
            raw = trimmed.contains("-") || trimmed.contains("_")
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64");
        }
        try {
            if (raw.length != BYTES) {
                throw new IllegalArgumentException("must be " + BYTES + " bytes (base64 of 32 random bytes, e.g. "
                        + "`openssl rand -base64 32`), not " + raw.length);
            }
            return new MasterKey(raw.clone());
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    SecretKey key() {
        return key;
    }

    @Override
    public String toString() {
        return "MasterKey[hidden]";
    }
}
