package org.careline.ingest.whatsapp;

import org.careline.support.EngineFixture;
import org.careline.support.MetaWebhooks;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signature, token or CSRF token counts only as a real request header: Camel's HTTP server also copies query
 * parameters into its headers, and a signature sent as {@code ?X-Hub-Signature-256=…} was accepted (issue 14,
 * finding 6).
 */
class HeadersNotQueryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "headers-test-password";
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD), Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Test
    void aWebhookSignatureInTheQueryIs401AndStoresNothing() throws Exception {
        byte[] body = MetaWebhooks.bytes(MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000",
                Instant.now()));
        String signature = WebhookSignature.sign(body, EngineFixture.APP_SECRET);
        long before = fx.count("SELECT COUNT(*) FROM webhook_delivery");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/webhooks/whatsapp?" + WebhookSignature.HEADER + "=" + q(signature)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        // and a real header with the same name in the query as well is not trusted either
        HttpResponse<String> both = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/webhooks/whatsapp?" + WebhookSignature.HEADER + "=" + q(signature)))
                .header("Content-Type", "application/json").header(WebhookSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(both.statusCode()).isEqualTo(401);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery")).isEqualTo(before);
        // the same body, signed in the header, is taken
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
    }

    @Test
    void anApiTokenOrCsrfTokenInTheQueryCountsForNothing() throws Exception {
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        String token = admin.post("/api/v1/tokens", "{\"username\":\"admin\",\"name\":\"probe\"}").json()
                .get("token").asText();
        HttpResponse<String> byQuery = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fx.httpPort() + "/api/v1/users?Authorization=" + q("Bearer " + token))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byQuery.statusCode()).isEqualTo(401);
        assertThat(StaffClient.withToken(fx.httpPort(), token).get("/api/v1/users").status()).isEqualTo(200);
        StaffClient.Answer forged = admin.send("POST", "/api/v1/users?X-CSRF-Token=" + q(admin.csrf()),
                "{\"username\":\"forged\",\"password\":\"long-enough-password\",\"roles\":[\"admin\"]}", false);
        assertThat(forged.status()).isEqualTo(403);
    }
}
