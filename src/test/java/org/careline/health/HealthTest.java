package org.careline.health;

import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /health over real HTTP: UP while every route that should run is started, DOWN (503) otherwise; the routes and
 * whether sending is paused only at GET /api/v1/health, for signed-in analysts and admins.
 */
class HealthTest {

    private static final String PASSWORD = "health-test-password";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD), Instant.parse("2030-03-05T19:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void reportsDownWhileTheHl7ListenerIsStoppedAndUpAgainOnceItRuns() throws Exception {
        HttpResponse<String> up = health();
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        // Strangers learn UP or DOWN and nothing else (issue 14, finding 6); staff see the rest through the API.
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(details().body()).contains("\"status\":\"UP\"", "\"sending\":\"active\"",
                "\"hl7-inbound\":\"Started\"");

        fx.engine.camelContext().getRouteController().stopRoute("hl7-inbound");
        HttpResponse<String> down = health();
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(details().body()).contains("\"status\":\"DOWN\"", "\"hl7-inbound\":\"Stopped\"");

        fx.engine.camelContext().getRouteController().startRoute("hl7-inbound");
        // camel-mllp may find the port still held by the old listener and retry the bind 5 s later.
        await().atMost(Duration.ofSeconds(20)).until(() -> health().statusCode() == 200);
        assertThat(details().body()).contains("\"status\":\"UP\"", "\"hl7-inbound\":\"Started\"");
    }

    @Test
    void theDetailsAreForAnalystsAndAdminsOnly() {
        assertThat(new StaffClient(fx.httpPort()).get("/api/v1/health").status()).isEqualTo(401);
    }

    private StaffClient.Answer details() {
        return new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD).get("/api/v1/health");
    }

    private HttpResponse<String> health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
