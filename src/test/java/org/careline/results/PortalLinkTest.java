package org.careline.results;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PortalLinkTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private final PortalLink links = new PortalLink("https://portal.example.org/results/", "s3cret");

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
        assertThat(new PortalLink("https://x", "other").verify(token, NOW)).isEmpty();
    }

    @Test
    void theDocumentedAlgorithmReproducesTheSignature() throws Exception {
        // What docs/results.md tells a portal to do, done independently here.
        String ref = "AAAAAAAAAAAAAAAAAAAAAA";
        Instant exp = Instant.ofEpochSecond(1900000000L);
        String token = links.token(ref, exp);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
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
}
