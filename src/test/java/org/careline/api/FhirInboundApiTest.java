package org.careline.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An analyst sees the FHIR notifications Careline received beside the HL7 messages: which resource each asked it to
 * read, how far that got and why not (the FHIR server here is unreachable), never the resource's content.
 */
class FhirInboundApiTest {

    private static final String PASSWORD = "fhir-inbound-password";
    private static final String SECRET = "notify-s3cret";
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD,
                "CARELINE_FHIR_BASE_URL", "http://127.0.0.1:9/fhir", "CARELINE_FHIR_NOTIFY_SECRET", SECRET,
                "CARELINE_FHIR_INTERVAL_MS", "100"), Instant.now());
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"analyst1\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"analyst\"]}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void aNotifiedResourceIsListedWithItsProgressAndNoContent() throws Exception {
        String appointment = "{\"resourceType\":\"Appointment\",\"id\":\"a1\",\"meta\":{\"versionId\":\"1\"},"
                + "\"status\":\"booked\",\"start\":\"2030-05-01T09:00:00Z\",\"participant\":[{\"actor\":"
                + "{\"reference\":\"Patient/p1\",\"display\":\"Jane Roe\"},\"status\":\"accepted\"}]}";
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.httpPort() + "/fhir/Appointment/a1"))
                .header("Content-Type", "application/fhir+json").header("X-Careline-Secret", SECRET)
                .PUT(HttpRequest.BodyPublishers.ofString(appointment)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        StaffClient analyst = new StaffClient(fx.httpPort()).signedIn("analyst1", PASSWORD);
        StaffClient.Answer all = analyst.get("/api/v1/inbound/fhir");
        assertThat(all.status()).isEqualTo(200);
        JsonNode first = all.json().get(0);
        assertThat(first.get("focus").asText()).isEqualTo("Appointment/a1");
        assertThat(first.get("status").asText()).isNotBlank();
        assertThat(first.get("receivedAt").asText()).isNotBlank();
        assertThat(all.body()).doesNotContain("Jane Roe", "2030-05-01");
        assertThat(analyst.get("/api/v1/inbound/fhir?focus=Appointment/a1").json()).hasSize(1);
        assertThat(analyst.get("/api/v1/inbound/fhir?focus=Appointment/zz").json()).isEmpty();
    }
}
