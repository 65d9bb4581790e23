package org.careline.results;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The portal link in result and document notices: {@code CARELINE_PORTAL_URL + "/" + token}, where
 * <pre>token = "v1." + ref + "." + exp + "." + base64url(HMAC-SHA256(secret, "v1." + ref + "." + exp))</pre>
 * {@code ref} is a random reference id (16 random bytes, base64url without padding, 22 characters) that Careline
 * maps to the patient and orders in result_notice; {@code exp} is the expiry as decimal Unix seconds; the secret is
 * CARELINE_PORTAL_LINK_SECRET as UTF-8 bytes; base64url is RFC 4648 §5 without padding. The token reveals nothing
 * (no MRN, accession number, name or date other than the expiry). A portal verifies it with {@link #verify}.
 */
public final class PortalLink {

    private static final String VERSION = "v1";
    /** An HMAC-SHA256 key shorter than the hash is the weak link; CARELINE_PORTAL_LINK_SECRET is held to this too. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String baseUrl;
    private final byte[] secret;

    public PortalLink(String baseUrl, String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("portal link secret is shorter than " + MIN_SECRET_BYTES + " bytes");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A new random reference id: 128 bits, URL-safe. */
    public static String newReference() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** A random secret for an engine started without CARELINE_PORTAL_LINK_SECRET. */
    public static String randomSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    public String token(String reference, Instant expiresAt) {
        if (!reference.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("reference is not base64url");
        }
        String signed = VERSION + "." + reference + "." + expiresAt.getEpochSecond();
        return signed + "." + B64.encodeToString(hmac(signed));
    }

    public String link(String reference, Instant expiresAt) {
        return baseUrl + "/" + token(reference, expiresAt);
    }

    /** The reference id of a valid, unexpired token; empty if it is malformed, tampered with or expired. */
    public Optional<String> verify(String token, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !parts[1].matches("[A-Za-z0-9_-]{1,64}")
                || !parts[2].matches("\\d{1,12}")) {
            return Optional.empty();
        }
        // The signature exactly as issued (base64url, no padding): decoding first would also accept other spellings
        // of the same bytes (padding, standard alphabet, other trailing bits), so one link would have many forms.
        byte[] expected = B64.encodeToString(hmac(parts[0] + "." + parts[1] + "." + parts[2]))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.UTF_8))) { // constant time
            return Optional.empty();
        }
        if (!now.isBefore(Instant.ofEpochSecond(Long.parseLong(parts[2])))) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
