package org.careline.ingest.whatsapp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** X-Hub-Signature-256 checks: which header values are accepted for which body and secret. */
class WebhookSignatureTest {

    private static final String SECRET = "6d5c3f0a9e1b4c2d8f7a6b5c4d3e2f10";
    private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}"
            .getBytes(StandardCharsets.UTF_8);
    /** Computed independently of the class under test. */
    private static final String HEX = hmacHex(BODY, SECRET);

    static Stream<Arguments> table() {
        String flipped = (HEX.charAt(0) == '0' ? "1" : "0") + HEX.substring(1);
        return Stream.of(
                Arguments.of("Meta's form: sha256= and lower-case hex", SECRET, "sha256=" + HEX, true),
                Arguments.of("upper-case hex: the same 32 bytes", SECRET, "sha256=" + HEX.toUpperCase(Locale.ROOT), true),
                Arguments.of("mixed-case hex", SECRET, "sha256=" + mixedCase(HEX), true),
                Arguments.of("upper-case prefix", SECRET, "SHA256=" + HEX, true),
                Arguments.of("surrounding blanks", SECRET, " sha256=" + HEX + " ", true),
                Arguments.of("missing prefix", SECRET, HEX, false),
                Arguments.of("another algorithm's prefix", SECRET, "sha1=" + HEX, false),
                Arguments.of("prefix without '='", SECRET, "sha256" + HEX, false),
                Arguments.of("one hex digit changed", SECRET, "sha256=" + flipped, false),
                Arguments.of("one digit short", SECRET, "sha256=" + HEX.substring(1), false),
                Arguments.of("one digit long", SECRET, "sha256=" + HEX + "0", false),
                Arguments.of("not hex", SECRET, "sha256=" + "zz" + HEX.substring(2), false),
                Arguments.of("empty value", SECRET, "", false),
                Arguments.of("prefix only", SECRET, "sha256=", false),
                Arguments.of("no header", SECRET, null, false),
                Arguments.of("signed with another secret", "another-secret", "sha256=" + HEX, false),
                Arguments.of("empty secret", "", "sha256=" + hmacHexOfEmptyKey(), false),
                Arguments.of("no secret", null, "sha256=" + HEX, false));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("table")
    void acceptsExactlyTheSignatureOfTheBody(String what, String secret, String header, boolean accepted) {
        assertThat(new WebhookSignature(secret).matches(BODY, header)).as(what).isEqualTo(accepted);
    }

    @Test
    void anyChangeToTheBytesBreaksTheSignature() {
        WebhookSignature signature = new WebhookSignature(SECRET);
        String header = "sha256=" + HEX;
        byte[] reformatted = new String(BODY, StandardCharsets.UTF_8).replace(",", ", ").getBytes(StandardCharsets.UTF_8);
        byte[] trailingNewline = (new String(BODY, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.matches(BODY, header)).isTrue();
        assertThat(signature.matches(reformatted, header)).isFalse();
        assertThat(signature.matches(trailingNewline, header)).isFalse();
        assertThat(signature.matches(new byte[0], header)).isFalse();
    }

    @Test
    void nonAsciiBodiesAreSignedAsBytesNotCharacters() {
        byte[] utf8 = "{\"text\":{\"body\":\"¿Mañana a las 10? 👍\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "{\"text\":{\"body\":\"¿Mañana a las 10?\"}}".getBytes(StandardCharsets.ISO_8859_1);
        WebhookSignature signature = new WebhookSignature(SECRET);
        assertThat(signature.matches(utf8, "sha256=" + hmacHex(utf8, SECRET))).isTrue();
        assertThat(signature.matches(latin1, "sha256=" + hmacHex(latin1, SECRET))).isTrue();
        assertThat(signature.matches(latin1, "sha256=" + hmacHex(utf8, SECRET))).isFalse();
    }

    @Test
    void signProducesWhatMetaSends() {
        assertThat(WebhookSignature.sign(BODY, SECRET)).isEqualTo("sha256=" + HEX).matches("sha256=[0-9a-f]{64}");
        assertThat(new WebhookSignature(SECRET).configured()).isTrue();
        assertThat(new WebhookSignature("").configured()).isFalse();
        assertThat(new WebhookSignature(null).configured()).isFalse();
        assertThatThrownBy(() -> WebhookSignature.sign(BODY, "")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hmacHex(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The HMAC of the body under an empty key, which a lax implementation would accept. HMAC pads keys with zero
     * bytes, so the key {0} gives the same MAC as an empty one (which the JDK refuses to take).
     */
    private static String hmacHexOfEmptyKey() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[]{0}, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(BODY));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mixedCase(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i++) {
            char ch = hex.charAt(i);
            b.append(i % 2 == 0 ? Character.toUpperCase(ch) : ch);
        }
        return b.toString();
    }
}
