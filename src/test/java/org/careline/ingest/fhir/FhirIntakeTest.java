package org.careline.ingest.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.support.EngineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The /fhir endpoint through real HTTP: what is answered and what is stored for each shape, before any FHIR server
 * is asked (the base URL here points nowhere, so stored work only waits).
 */
class FhirIntakeTest {

    private static final String SECRET = "notify-s3cret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BACKPORT = Path.of("../shared/corpus/fhir/backport-notifications");
    private EngineFixture engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    private void start(String secret) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_FHIR_BASE_URL", "http://127.0.0.1:9/fhir");
        env.put("CARELINE_FHIR_NOTIFY_SECRET", secret);
        if (secret == null) {
            env.put("CARELINE_FHIR_NOTIFY_OPEN", "true"); // said explicitly: /fhir without a secret
        }
        // Stored work stays as it is while the test looks at it.
        env.put("CARELINE_FHIR_INTERVAL_MS", "3600000");
        engine = EngineFixture.start(env, Instant.now());
    }

    private HttpResponse<String> send(String method, String path, String body, String secret) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + engine.httpPort() + "/fhir" + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/fhir+json");
        if (secret != null) {
            b.header("X-Careline-Secret", secret);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long work() throws Exception {
        return engine.count("SELECT COUNT(*) FROM fhir_work");
    }

    private static void assertOutcome(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("fhir+json"));
        JsonNode oo = JSON.readTree(r.body());
        assertThat(oo.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(oo.path("issue").get(0).path("code").asText()).isEqualTo(code);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String appointment(String id, String version, String status) {
        return "{\"resourceType\":\"Appointment\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"" + version
                + "\"},\"status\":\"" + status + "\",\"start\":\"2030-05-01T09:00:00Z\",\"participant\":[{\"actor\":"
                + "{\"reference\":\"Patient/p1\",\"display\":\"Jane Roe\"},\"status\":\"accepted\"}]}";
    }

    /** A Backport IG (R4) event notification of {@code subscription} with one Appointment event. */
    private static String event(String subscription, long number, String appointmentId) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"fullUrl\":\"urn:uuid:9e41ff6d-5be6-4e6a-8b85-"
                + String.format("%012d", number) + "\",\"resource\":{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"subscription\",\"valueReference\":{\"reference\":\"https://fhir.example.org/fhir/"
                + subscription + "\"}},"
                + "{\"name\":\"topic\",\"valueCanonical\":\"http://example.org/topics/appointment\"},"
                + "{\"name\":\"status\",\"valueCode\":\"active\"},{\"name\":\"type\",\"valueCode\":\"event-notification\"},"
                + "{\"name\":\"events-since-subscription-start\",\"valueString\":\"" + number + "\"},"
                + "{\"name\":\"notification-event\",\"part\":[{\"name\":\"event-number\",\"valueString\":\"" + number
                + "\"},{\"name\":\"focus\",\"valueReference\":{\"reference\":\"https://fhir.example.org/fhir/Appointment/"
                + appointmentId + "\"}}]}]},\"request\":{\"method\":\"GET\",\"url\":\"https://fhir.example.org/fhir/"
                + subscription + "/$status\"},\"response\":{\"status\":\"200\"}},"
                + "{\"fullUrl\":\"https://fhir.example.org/fhir/Appointment/" + appointmentId + "\",\"request\":{\"method\":"
                + "\"PUT\",\"url\":\"Appointment/" + appointmentId + "\"},\"response\":{\"status\":\"200\"}}]}";
    }

    @Test
    void withoutFhirConfiguredTheEndpointSays503() throws Exception {
        engine = EngineFixture.start(Map.of(), Instant.now());
        assertOutcome(send("POST", "", null, null), 503, "not-supported");
    }

    @Test
    void aWrongOrMissingSecretIs401AndStoresNothing() throws Exception {
        start(SECRET);
        assertOutcome(send("PUT", "/Appointment/a1", appointment("a1", "1", "booked"), null), 401, "security");
        assertOutcome(send("PUT", "/Appointment/a1", appointment("a1", "1", "booked"), "wrong"), 401, "security");
        assertOutcome(send("POST", "", null, SECRET + "x"), 401, "security");
        assertThat(work()).isZero();
        assertThat(send("PUT", "/Appointment/a1", appointment("a1", "1", "booked"), SECRET).statusCode()).isEqualTo(200);
        assertThat(work()).isEqualTo(1);
    }

    @Test
    void badInputIs400WithAnOperationOutcomeAndStoresNothing() throws Exception {
        start(SECRET);
        assertOutcome(send("POST", "", "{\"resourceType\": \"Bundle\", ", SECRET), 400, "invalid");
        assertOutcome(send("POST", "", "<not-json/>", SECRET), 400, "invalid");
        // A resource of the wrong type for its path, an id that is not the path's, a type Careline does not take.
        assertOutcome(send("PUT", "/Appointment/a1", "{\"resourceType\":\"Patient\",\"id\":\"a1\"}", SECRET), 400,
                "invalid");
        assertOutcome(send("PUT", "/Appointment/a1", appointment("a2", "1", "booked"), SECRET), 400, "invalid");
        assertOutcome(send("PUT", "/Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}", SECRET), 400, "invalid");
        // A bundle that is no notification.
        assertOutcome(send("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}", SECRET), 400,
                "invalid");
        assertThat(work()).isZero();
    }

    @Test
    void aRestHookPutIsStoredOncePerVersion() throws Exception {
        start(SECRET);
        assertOutcome(send("PUT", "/Appointment/a1", appointment("a1", "1", "booked"), SECRET), 200, "informational");
        assertThat(send("PUT", "/Appointment/a1", appointment("a1", "1", "booked"), SECRET).statusCode()).isEqualTo(200);
        assertThat(engine.query("SELECT focus FROM fhir_work")).extracting(r -> r.get("FOCUS"))
                .containsExactly("Appointment/a1");
        // A new version while the first still waits: one read of the current state covers both.
        assertThat(send("PUT", "/Appointment/a1", appointment("a1", "2", "cancelled"), SECRET).statusCode()).isEqualTo(200);
        assertThat(work()).isEqualTo(1);
        assertThat(send("DELETE", "/Appointment/a2", null, SECRET).statusCode()).isEqualTo(200);
        assertThat(engine.query("SELECT focus FROM fhir_work ORDER BY id")).extracting(r -> r.get("FOCUS"))
                .containsExactly("Appointment/a1", "Appointment/a2");
    }

    @Test
    void anEmptyPostAsksForOneCatchUp() throws Exception {
        start(SECRET);
        assertThat(send("POST", "", null, SECRET).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/", "", SECRET).statusCode()).isEqualTo(200);
        assertThat(engine.query("SELECT focus, subscription FROM fhir_work")).hasSize(1)
                .allSatisfy(r -> assertThat(r.get("FOCUS")).isNull());
    }

    @Test
    void eventNumbersAreFollowedAndAGapAsksForTheMissedEvents() throws Exception {
        start(SECRET);
        assertThat(send("POST", "", event("Subscription/s1", 1, "a1"), SECRET).statusCode()).isEqualTo(200);
        // The same event again (a retry or replay): nothing new.
        assertThat(send("POST", "", event("Subscription/s1", 1, "a1"), SECRET).statusCode()).isEqualTo(200);
        assertThat(work()).isEqualTo(1);
        assertThat(send("POST", "", event("Subscription/s1", 2, "a2"), SECRET).statusCode()).isEqualTo(200);
        assertThat(work()).isEqualTo(2);
        // Events 3 and 4 never came.
        assertThat(send("POST", "", event("Subscription/s1", 5, "a5"), SECRET).statusCode()).isEqualTo(200);
        assertThat(engine.query("SELECT focus, subscription, since_event FROM fhir_work ORDER BY id"))
                .extracting(r -> r.get("FOCUS") + " " + r.get("SUBSCRIPTION") + " " + r.get("SINCE_EVENT"))
                .containsExactly("Appointment/a1 Subscription/s1 null", "Appointment/a2 Subscription/s1 null",
                        "null Subscription/s1 2", "Appointment/a5 Subscription/s1 null");
        assertThat(engine.query("SELECT last_event FROM fhir_subscription_state WHERE subscription = 'Subscription/s1'"))
                .extracting(r -> ((Number) r.get("LAST_EVENT")).longValue()).containsExactly(5L);
    }

    @Test
    void corpusHandshakeAndHeartbeatAreEachAnsweredWithNoEffect() throws Exception {
        assumeTrue(Files.isDirectory(BACKPORT), "../shared corpus absent");
        for (String f : new String[]{"handshake_bundle_example.json", "heartbeat_bundle_example.json"}) {
            start(SECRET);
            HttpResponse<String> r = send("POST", "", Files.readString(BACKPORT.resolve(f)), SECRET);
            assertThat(r.statusCode()).as(f).isEqualTo(200);
            assertThat(work()).as(f).isZero();
            assertThat(engine.count("SELECT COUNT(*) FROM appointment")).isZero();
            engine.close();
            engine = null;
        }
    }

    @Test
    void aHeartbeatCountingMoreEventsThanArrivedAsksForTheMissedOnes() throws Exception {
        assumeTrue(Files.isDirectory(BACKPORT), "../shared corpus absent");
        start(SECRET);
        // The handshake starts the count at 0; the heartbeat says 2 events have happened since: both were missed.
        assertThat(send("POST", "", Files.readString(BACKPORT.resolve("handshake_bundle_example.json")), SECRET)
                .statusCode()).isEqualTo(200);
        assertThat(work()).isZero();
        assertThat(send("POST", "", Files.readString(BACKPORT.resolve("heartbeat_bundle_example.json")), SECRET)
                .statusCode()).isEqualTo(200);
        assertThat(engine.query("SELECT focus, since_event FROM fhir_work"))
                .extracting(r -> r.get("FOCUS") + " " + r.get("SINCE_EVENT")).containsExactly("null 0");
    }

    @Test
    void everyCorpusNotificationIsAnsweredAndStoresOnlyWhatCarelineActsOn() throws Exception {
        assumeTrue(Files.isDirectory(BACKPORT), "../shared corpus absent");
        start(SECRET);
        for (String f : new String[]{"empty_notification_bundle_example.json",
                "id_only_notification_bundle_example.json", "full_resource_notification_bundle_example.json"}) {
            assertThat(send("POST", "", Files.readString(BACKPORT.resolve(f)), SECRET).statusCode()).as(f).isEqualTo(200);
        }
        // Their focus is an Encounter (ignored); the empty one says only that something changed: one catch-up.
        assertThat(engine.query("SELECT focus FROM fhir_work")).extracting(r -> r.get("FOCUS")).containsOnlyNulls();
        assertThat(work()).isEqualTo(1);
    }

    @Test
    void everyCorpusAppointmentAndReportIsTakenAsARestHookPut() throws Exception {
        Path examples = Path.of("../shared/corpus/fhir/r4-examples");
        assumeTrue(Files.isDirectory(examples), "../shared corpus absent");
        start(SECRET);
        int expected = 0;
        try (var files = Files.list(examples)) {
            for (Path f : files.sorted().toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                String type = r.path("resourceType").asText();
                if (!type.equals("Appointment") && !type.equals("DiagnosticReport")) {
                    continue;
                }
                HttpResponse<String> answer = send("PUT", "/" + type + "/" + r.path("id").asText(),
                        Files.readString(f), SECRET);
                assertThat(answer.statusCode()).as(f.toString()).isEqualTo(200);
                expected++;
            }
        }
        assertThat(expected).isEqualTo(6);
        assertThat(work()).isEqualTo(expected);
    }
}
