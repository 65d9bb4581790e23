package org.careline.ingest.whatsapp;

import org.careline.support.EngineFixture;
import org.careline.support.MetaWebhooks;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN nothing from outside gets in, however it is signed. */
class WebhookUnconfiguredTest {

    @Test
    void withoutSecretsEveryPostIs401AndEveryHandshake403() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("WHATSAPP_APP_SECRET", null);
        env.put("WHATSAPP_VERIFY_TOKEN", null);
        try (EngineFixture fx = EngineFixture.start(env, Instant.parse("2030-03-05T19:00:00Z"))) {
            assertThat(fx.settings.whatsappAppSecret()).isNull();
            byte[] body = MetaWebhooks.bytes(WebhookIntakeTest.textMessage(MetaWebhooks.newWamid(), "16505550300"));
            // Signed with the secret the engine would have had, with an empty key, and not at all.
            assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(401);
            assertThat(MetaWebhooks.post(fx, body, "sha256=" + "0".repeat(64), "application/json").status())
                    .isEqualTo(401);
            MetaWebhooks.Posted unsigned = MetaWebhooks.post(fx, body, null, "application/json");
            assertThat(unsigned.status()).isEqualTo(401);
            // The same answer as for a wrong signature: nothing about the configuration is given away.
            assertThat(unsigned.response().body()).isEqualTo("{\"error\":\"missing or invalid X-Hub-Signature-256\"}");
            assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery")).isZero();

            for (String token : new String[]{"", "null", EngineFixture.VERIFY_TOKEN}) {
                HttpResponse<String> r = MetaWebhooks.get(fx, Map.of("hub.mode", "subscribe",
                        "hub.verify_token", token, "hub.challenge", "12345"));
                assertThat(r.statusCode()).as(token).isEqualTo(403);
                assertThat(r.body()).doesNotContain("12345");
            }
            assertThat(MetaWebhooks.get(fx, Map.of("hub.mode", "subscribe", "hub.challenge", "12345")).statusCode())
                    .isEqualTo(403);
        }
    }
}
