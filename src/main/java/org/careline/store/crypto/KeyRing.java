package org.careline.store.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data keys, opened with the master key. One is active (new values are sealed with it); the others still open
 * what they sealed until a rotation has re-sealed it. A key id travels with every sealed value, so rotation never
 * needs a flag day.
 */
public final class KeyRing {

    /** A data key as stored: its id and its bytes wrapped (AES-GCM) by the master key. */
    public record Wrapped(String keyId, String wrapped) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKey> keys;
    private final java.util.List<String> order;
    private final String activeId;
    private final SecretKey lookupKey;

    private KeyRing(Map<String, SecretKey> keys, String activeId, SecretKey lookupKey) {
        this.keys = Map.copyOf(keys);
        this.order = java.util.List.copyOf(keys.keySet());
        this.activeId = activeId;
        this.lookupKey = lookupKey;
    }

    /**
     * Opens stored data keys; the last one is the active one.
     *
     * @throws WrongMasterKeyException when the master key does not open them (another environment's key)
     */
    public static KeyRing open(MasterKey master, java.util.List<Wrapped> stored) {
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("no data key");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (Wrapped w : stored) {
            keys.put(w.keyId(), unwrap(master, w));
        }
        return new KeyRing(keys, stored.get(stored.size() - 1).keyId(), lookupKey(master));
    }

    /** A fresh data key wrapped by the master key, to be stored and then opened with the others. */
    public static Wrapped newDataKey(MasterKey master, String keyId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        try {
            return new Wrapped(keyId, Base64.getEncoder().encodeToString(
                    gcm(Cipher.ENCRYPT_MODE, master.key(), raw, wrapContext(keyId))));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    public String activeId() {
        return activeId;
    }

    /** The ids of the keys held, oldest first. */
    public java.util.Set<String> keyIds() {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(order));
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    SecretKey key(String keyId) {
        return keys.get(keyId);
    }

    /**
     * The lookup key for keyed hashes (phone numbers found by equality). Derived from the master key, not from a data
     * key, so a rotation of data keys leaves every stored hash valid; HMAC with a label is HKDF-Expand's one block.
     */
    SecretKey lookupKey() {
        return lookupKey;
    }

    private static SecretKey lookupKey(MasterKey master) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(master.key());
            byte[] okm = mac.doFinal("careline lookup hash v1\u0001".getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(okm, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static SecretKey unwrap(MasterKey master, Wrapped w) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(w.wrapped());
        } catch (IllegalArgumentException e) {
            throw new WrongMasterKeyException(w.keyId());
        }
        try {
            byte[] key = gcm(Cipher.DECRYPT_MODE, master.key(), raw, wrapContext(w.keyId()));
            return new SecretKeySpec(key, "AES");
        } catch (IllegalStateException e) {
            throw new WrongMasterKeyException(w.keyId());
        }
    }

    /** The wrapped key is bound to its id, so a stored key cannot be passed off under another id. */
    private static byte[] wrapContext(String keyId) {
        return ("careline data key " + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** AES-GCM: on encrypt the output is IV followed by ciphertext and tag; on decrypt the input is the same. */
    static byte[] gcm(int mode, SecretKey key, byte[] input, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] iv = new byte[IV_BYTES];
                RANDOM.nextBytes(iv);
                cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(aad);
                byte[] sealed = cipher.doFinal(input);
                byte[] out = new byte[IV_BYTES + sealed.length];
                System.arraycopy(iv, 0, out, 0, IV_BYTES);
                System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
                return out;
            }
            if (input.length < IV_BYTES + TAG_BITS / 8) {
                throw new IllegalStateException("too short");
            }
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, input, 0, IV_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(input, IV_BYTES, input.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            // A failed tag check lands here: the bytes were changed, or the key or context is not theirs.
            throw new IllegalStateException("AES-GCM refused the value", e);
        }
    }

    /** The master key given does not open the stored data keys. */
    public static final class WrongMasterKeyException extends RuntimeException {
        public WrongMasterKeyException(String keyId) {
            super("the master key does not open data key " + keyId
                    + " (CARELINE_MASTER_KEY / CARELINE_MASTER_KEY_FILE is not the one this database was sealed with)");
        }
    }
}
