package org.careline.alerts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookAlertChannelTest {

    @ParameterizedTest(name = "HTTP {0} → {1}")
    @CsvSource({
            "200, Delivered",
            "202, Delivered",
            "204, Delivered",
            "301, Refused",
            "400, Refused",
            "401, Refused",
            "403, Refused",
            "404, Refused",
            "408, Retry",
            "410, Refused",
            "422, Refused",
            "429, Retry",
            "500, Retry",
            "502, Retry",
            "503, Retry",
            "504, Retry",
    })
    void aReceiversStatusSaysWhetherToRetry(int status, String outcome) {
        assertThat(WebhookAlertChannel.outcomeOf(status, "", null).getClass().getSimpleName()).isEqualTo(outcome);
    }

    @ParameterizedTest
    @CsvSource({
            // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
            "Jefe, what do ya want for nothing?, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    })
    void theSignatureIsHexHmacSha256OfTheBody(String secret, String body, String hex) {
        assertThat(WebhookAlertChannel.sign(secret.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8))).isEqualTo(hex);
    }
}
