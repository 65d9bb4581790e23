package org.careline.ingest.whatsapp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the exact request body
 * bytes keyed with the app secret. Pure; safe to share between threads.
 *
 * <p>Accepted: the {@code sha256=} prefix followed by 64 hex digits (either case: they stand for the same 32 bytes)
 * equal to our HMAC, compared with {@link MessageDigest#isEqual} (time independent of where they differ). Refused:
 * no header, no or another prefix, a wrong length, a non-hex digit, a wrong HMAC, and any signature at all when the
 * app secret is unset or empty.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int HMAC_BYTES = 32;

    private final SecretKeySpec key;

    /** @param appSecret the Meta app's secret; null or empty refuses every signature */
    public WebhookSignature(String appSecret) {
        this.key = appSecret == null || appSecret.isEmpty()
                ? null : new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** Whether an app secret is set, without which no POST can be verified. */
    public boolean configured() {
        return key != null;
    }

    /** Whether {@code header} (the X-Hub-Signature-256 value, or null) is the signature of {@code body}. */
    public boolean matches(byte[] body, String header) {
        if (key == null || body == null || header == null) {
            return false;
        }
        String value = header.trim();
        if (value.length() != PREFIX.length() + 2 * HMAC_BYTES
                || !value.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(key, body), given);
    }

    /** The header value Meta would send for {@code body} signed with {@code appSecret} (lower-case hex). */
    public static String sign(byte[] body, String appSecret) {
        if (appSecret == null || appSecret.isEmpty()) {
            throw new IllegalArgumentException("no app secret to sign with");
        }
        return PREFIX + HexFormat.of().formatHex(
                hmac(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM), body));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
