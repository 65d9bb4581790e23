package org.careline.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortalLinkTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final String SECRET = "portal-link-secret-of-32-bytes!!";
    private final PortalLink links = new PortalLink("https://portal.example.org/results/", SECRET);

    @Test
    void linkIsPortalUrlPlusATokenThatVerifiesWithTheSecretUntilItExpires() {
        String ref = PortalLink.newReference();
        Instant exp = NOW.plus(Duration.ofDays(30));
        String link = links.link(ref, exp);
        assertThat(link).startsWith("https://portal.example.org/results/v1." + ref + "." + exp.getEpochSecond() + ".");
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertThat(token).matches("[A-Za-z0-9_.-]+");
        assertThat(links.verify(token, NOW)).contains(ref);
        assertThat(links.verify(token, exp.minusSeconds(1))).contains(ref);
        assertThat(links.verify(token, exp)).isEmpty();
        assertThat(new PortalLink("https://x", "another-secret-of-at-least-32-bytes").verify(token, NOW)).isEmpty();
    }

    @Test
    void theDocumentedAlgorithmReproducesTheSignature() throws Exception {
        // What docs/results.md tells a portal to do, done independently here.
        String ref = "AAAAAAAAAAAAAAAAAAAAAA";
        Instant exp = Instant.ofEpochSecond(1900000000L);
        String token = links.token(ref, exp);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(("v1." + ref + ".1900000000").getBytes(StandardCharsets.US_ASCII)));
        assertThat(token).isEqualTo("v1." + ref + ".1900000000." + sig);
    }

    @Test
    void tamperedOrMalformedTokensFail() {
        String ref = PortalLink.newReference();
        Instant exp = NOW.plus(Duration.ofDays(1));
        String token = links.token(ref, exp);
        String[] p = token.split("\\.");
        String otherRef = PortalLink.newReference();
        assertThat(links.verify("v1." + otherRef + "." + p[2] + "." + p[3], NOW)).isEmpty();
        assertThat(links.verify("v1." + ref + "." + (exp.getEpochSecond() + 86400) + "." + p[3], NOW)).isEmpty();
        char last = p[3].charAt(0);
        assertThat(links.verify("v1." + ref + "." + p[2] + "." + (last == 'A' ? 'B' : 'A') + p[3].substring(1), NOW))
                .isEmpty();
        assertThat(links.verify("v2." + ref + "." + p[2] + "." + p[3], NOW)).isEmpty();
        assertThat(links.verify(token + ".x", NOW)).isEmpty();
        assertThat(links.verify("garbage", NOW)).isEmpty();
        assertThat(links.verify(null, NOW)).isEmpty();
        assertThat(links.verify("v1." + ref + "." + p[2] + ".!!!", NOW)).isEmpty();
    }

    /**
     * Issue 14, finding 6: the signature is compared as the exact string it was issued as. Before, it was decoded
     * first, so the same bytes spelled with padding or with other unused trailing bits verified too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"padding", "standard-alphabet", "trailing-bits"})
    void anotherSpellingOfTheSameSignatureFails(String spelling) {
        String ref = PortalLink.newReference();
        String token = links.token(ref, NOW.plus(Duration.ofDays(1)));
        String sig = token.substring(token.lastIndexOf('.') + 1);
        byte[] bytes = Base64.getUrlDecoder().decode(sig);
        String other = switch (spelling) {
            case "padding" -> sig + "=";
            case "standard-alphabet" -> Base64.getEncoder().withoutPadding().encodeToString(bytes);
            case "trailing-bits" -> {
                // 32 bytes in 43 characters: the last one carries 2 bits and 4 unused ones.
                String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                int last = alphabet.indexOf(sig.charAt(sig.length() - 1));
                yield sig.substring(0, sig.length() - 1) + alphabet.charAt(last ^ 1);
            }
            default -> throw new IllegalArgumentException(spelling);
        };
        if (spelling.equals("standard-alphabet") && other.equals(sig)) {
            other = other + "="; // no + or / in this one: padding makes it differ all the same
        }
        assertThat(other).isNotEqualTo(sig);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + other;
        assertThat(links.verify(forged, NOW)).as(forged).isEmpty();
        assertThat(links.verify(token, NOW)).contains(ref);
    }

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        assertThatThrownBy(() -> new PortalLink("https://portal.example.org", "s3cret"))
                .hasMessageContaining("32 bytes");
        assertThat(new PortalLink("https://portal.example.org", "x".repeat(32)).token("abc", NOW)).startsWith("v1.");
    }
}
