package org.careline.ingest.fhir;

import org.careline.support.EngineFixture;
import org.careline.support.FhirStub;
import org.careline.support.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Catch-up from a FHIR server that keeps its subscriptions' events ($events, Backport IG): a gap in the event
 * numbers is filled from the subscription itself, and what the events name is read and acted on. The server is a
 * stand-in serving fixed resources; the HAPI JPA server (which has no $events in R4) is in FhirEndToEndTest.
 */
class FhirCatchUpTest {

    private static final Instant NOW = Instant.parse("2030-04-01T15:00:00Z");
    private FhirStub fhir;
    private EngineFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (fhir != null) {
            fhir.close();
        }
    }

    private static String patient(String id, String phone) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\"},\"name\":[{\"family\":"
                + "\"Roe\",\"given\":[\"Ann\"]}],\"telecom\":[{\"system\":\"phone\",\"use\":\"mobile\",\"value\":\"" + phone
                + "\"}]}";
    }

    private static String appointment(String id, String patient, String start) {
        return "{\"resourceType\":\"Appointment\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\"},\"status\":"
                + "\"booked\",\"start\":\"" + start + "\",\"participant\":[{\"actor\":{\"reference\":\"Patient/" + patient
                + "\"},\"status\":\"accepted\"}]}";
    }

    /** An R4 Backport notification bundle (event-notification or query-event) with id-only events. */
    private static String events(String type, long total, long... numbers) {
        StringBuilder parts = new StringBuilder();
        for (long n : numbers) {
            parts.append(",{\"name\":\"notification-event\",\"part\":[{\"name\":\"event-number\",\"valueString\":\"")
                    .append(n).append("\"},{\"name\":\"focus\",\"valueReference\":{\"reference\":\"Appointment/a")
                    .append(n).append("\"}}]}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"fullUrl\":\"urn:uuid:3d1f0b5e-1111-4222-"
                + "8333-" + String.format("%012d", total) + "\",\"resource\":{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"subscription\",\"valueReference\":{\"reference\":\"Subscription/s1\"}},"
                + "{\"name\":\"topic\",\"valueCanonical\":\"http://example.org/topics/appointments\"},"
                + "{\"name\":\"status\",\"valueCode\":\"active\"},{\"name\":\"type\",\"valueCode\":\"" + type + "\"},"
                + "{\"name\":\"events-since-subscription-start\",\"valueString\":\"" + total + "\"}" + parts + "]}}]}";
    }

    private int post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/fhir")).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void missedEventsAreFetchedFromTheSubscriptionAndActedOn() throws Exception {
        missedEventsAreFetched(Map.of());
    }

    /** The same on PostgreSQL: the FHIR tables and their queries are portable. */
    @Test
    void missedEventsAreFetchedOnPostgres() throws Exception {
        missedEventsAreFetched(Postgres.freshDatabaseEnv());
    }

    private void missedEventsAreFetched(Map<String, String> dbEnv) throws Exception {
        fhir = new FhirStub();
        for (int n = 1; n <= 4; n++) {
            fhir.serve("Patient/p" + n, patient("p" + n, "+1608271910" + n));
            fhir.serve("Appointment/a" + n, appointment("a" + n, "p" + n, "2030-04-05T15:00:00Z"));
        }
        fhir.serve("Subscription/s1/$events", events("query-event", 4, 2, 3));
        Map<String, String> env = new HashMap<>(dbEnv);
        env.put("CARELINE_FHIR_BASE_URL", fhir.baseUrl());
        env.put("CARELINE_FHIR_NOTIFY_OPEN", "true"); // notifications come from the test itself
        env.put("CARELINE_FHIR_INTERVAL_MS", "100");
        fx = EngineFixture.start(env, NOW);

        assertThat(post(events("event-notification", 1, 1))).isEqualTo(200);
        // Events 2 and 3 are lost on the way; 4 arrives.
        assertThat(post(events("event-notification", 4, 4))).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'SENT'") == 4);
        assertThat(fx.meta.received()).extracting(r -> r.json().path("to").asText())
                .containsExactlyInAnyOrder("16082719101", "16082719102", "16082719103", "16082719104");
        assertThat(fhir.received("GET", "Subscription/s1/$events")).singleElement()
                .satisfies(r -> assertThat(r.path()).endsWith("$events"));
        // Found through the subscription's own events: no search by _lastUpdated was needed.
        assertThat(fhir.received("GET", "Appointment?")).isEmpty();
    }

    /**
     * Issue 14, finding 3: a pushed event number far beyond what was seen is not recorded (before, it became the
     * high-water mark and every later gap went unnoticed); a catch-up asks the server, and only the numbers the
     * server returns are recorded. A later real gap is still found.
     */
    @Test
    void aHugeEventNumberIsNotBelievedAndGapsAreStillFound() throws Exception {
        fhir = new FhirStub();
        for (int n = 1; n <= 6; n++) {
            fhir.serve("Patient/p" + n, patient("p" + n, "+1608271910" + n));
            fhir.serve("Appointment/a" + n, appointment("a" + n, "p" + n, "2030-04-05T15:00:00Z"));
        }
        fhir.serve("Subscription/s1/$events", events("query-event", 3, 2, 3));
        fx = EngineFixture.start(Map.of("CARELINE_FHIR_BASE_URL", fhir.baseUrl(), "CARELINE_FHIR_NOTIFY_OPEN", "true",
                "CARELINE_FHIR_INTERVAL_MS", "100"), NOW);

        assertThat(post(events("event-notification", 1, 1))).isEqualTo(200);
        long huge = 9_000_000_000_000_000_000L;
        assertThat(post(events("event-notification", huge, huge).replace("Appointment/a" + huge, "Appointment/a4")))
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'SENT'") == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastEvent() == 3);
        assertThat(fhir.received("GET", "Subscription/s1/$events")).hasSize(1);

        // Events 4 and 5 are lost; 6 arrives: a gap, found because the mark is 3, not 9,000,000,000,000,000,000.
        assertThat(post(events("event-notification", 6, 6))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.received("GET", "Subscription/s1/$events").size() == 2);
        assertThat(lastEvent()).isEqualTo(6);
    }

    private long lastEvent() throws Exception {
        return ((Number) fx.query("SELECT last_event FROM fhir_subscription_state WHERE subscription = "
                + "'Subscription/s1'").get(0).get("LAST_EVENT")).longValue();
    }

    @Test
    void everyReadCarriesTheConfiguredBearerToken() throws Exception {
        assertThat(authorizationOfReads(Map.of("CARELINE_FHIR_TOKEN", "tok-123"))).containsOnly("Bearer tok-123");
    }

    @Test
    void everyReadCarriesTheConfiguredBasicAuth() throws Exception {
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "careline:pa55".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(authorizationOfReads(Map.of("CARELINE_FHIR_USERNAME", "careline", "CARELINE_FHIR_PASSWORD", "pa55")))
                .containsOnly(expected);
    }

    /** The Authorization headers of the reads one notified appointment makes (the appointment and its patient). */
    private List<String> authorizationOfReads(Map<String, String> auth) throws Exception {
        fhir = new FhirStub();
        fhir.serve("Patient/p1", patient("p1", "+16082719101"));
        fhir.serve("Appointment/a1", appointment("a1", "p1", "2030-04-05T15:00:00Z"));
        Map<String, String> env = new HashMap<>(auth);
        env.put("CARELINE_FHIR_BASE_URL", fhir.baseUrl());
        env.put("CARELINE_FHIR_NOTIFY_OPEN", "true"); // notifications come from the test itself
        env.put("CARELINE_FHIR_INTERVAL_MS", "100");
        fx = EngineFixture.start(env, NOW);
        assertThat(post(events("event-notification", 1, 1))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fhir.received("GET", "Patient/p1").size() == 1);
        List<FhirStub.Received> reads = fhir.received().stream().filter(r -> r.method().equals("GET")).toList();
        assertThat(reads).hasSizeGreaterThanOrEqualTo(2);
        return reads.stream().map(r -> String.valueOf(r.header("Authorization"))).toList();
    }

    @Test
    void anAppointmentDeletedOnTheServerStopsItsReminders() throws Exception {
        fhir = new FhirStub();
        fhir.serve("Patient/p1", patient("p1", "+16082719101"));
        fhir.serve("Appointment/a1", appointment("a1", "p1", "2030-04-05T15:00:00Z"));
        fx = EngineFixture.start(Map.of("CARELINE_FHIR_BASE_URL", fhir.baseUrl(), "CARELINE_FHIR_INTERVAL_MS", "100",
                "CARELINE_FHIR_NOTIFY_OPEN", "true"), NOW);
        assertThat(put("Appointment/a1", appointment("a1", "p1", "2030-04-05T15:00:00Z"))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'REMINDER' AND status = 'PENDING'") > 0);

        fhir.unserve("Appointment/a1");
        assertThat(delete("Appointment/a1")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM appointment WHERE external_id = 'a1' AND status = 'DELETED'") == 1);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE kind = 'REMINDER' AND status = 'PENDING'")).isZero();
        assertThat(fx.meta.received()).extracting(r -> r.json().path("template").path("name").asText())
                .doesNotContain("appointment_cancelled");
    }

    private int put(String ref, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/fhir/" + ref)).header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private int delete(String ref) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/fhir/" + ref)).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
