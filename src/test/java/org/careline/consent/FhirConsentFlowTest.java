package org.careline.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.support.EngineFixture;
import org.careline.support.FhirStub;
import org.careline.support.MetaStub;
import org.careline.support.Flow;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FHIR Consent through the real /fhir endpoint: the rest-hook PUT a server sends, the engine re-reading the Consent
 * from the server (a stand-in), and what the Cloud API stand-in received afterwards.
 */
class FhirConsentFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String PRIVACY = "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
            + "\"code\":\"patient-privacy\"}]}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private void start(Path mappings) throws Exception {
        fhir = new FhirStub();
        fhir.serve("Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"1\"},\"name\":"
                + "[{\"family\":\"Roe\",\"given\":[\"Ann\"]}],\"telecom\":[{\"system\":\"phone\",\"use\":\"mobile\","
                + "\"value\":\"+16082719101\"}]}");
        fhir.serve("Appointment/a1", appointment());
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_FHIR_BASE_URL", fhir.baseUrl());
        env.put("CARELINE_FHIR_NOTIFY_OPEN", "true"); // notifications come from the test itself
        env.put("CARELINE_FHIR_INTERVAL_MS", "100");
        if (mappings != null) {
            env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        }
        fx = EngineFixture.start(env, NOW);
    }

    private static String appointment() {
        return "{\"resourceType\":\"Appointment\",\"id\":\"a1\",\"meta\":{\"versionId\":\"1\"},\"status\":\"booked\","
                + "\"start\":\"" + NOW.plus(Duration.ofDays(3)) + "\",\"participant\":[{\"actor\":{\"reference\":"
                + "\"Patient/p1\"},\"status\":\"accepted\"},{\"actor\":{\"reference\":\"Location/l1\",\"display\":"
                + "\"GH Clinic\"},\"status\":\"accepted\"}]}";
    }

    private static String consent(String id, String status, String type) {
        return "{\"resourceType\":\"Consent\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\"},\"status\":\"" + status
                + "\",\"scope\":" + PRIVACY + ",\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
                + "\"59284-0\"}]}],\"patient\":{\"reference\":\"Patient/p1\"}"
                + (type == null ? "" : ",\"provision\":{\"type\":\"" + type + "\"}") + "}";
    }

    private HttpResponse<String> put(String target, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + "/fhir/" + target))
                .header("Content-Type", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server tells Careline a resource changed (rest-hook PUT with the resource); the engine re-reads it. */
    private void notify(String target, String json) throws Exception {
        fhir.serve(target, json);
        assertThat(put(target, json).statusCode()).isEqualTo(200);
    }

    @Test
    void aDenyConsentAtAnOptOutSiteStopsEverythingStillToCome() throws Exception {
        start(null);
        notify("Appointment/a1", appointment());
        await().atMost(Duration.ofSeconds(15)).until(() -> !confirmations().isEmpty());
        Flow.awaitIdle(fx);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE kind = 'REMINDER' AND status = 'PENDING'")).isEqualTo(2);
        fx.meta.clear();

        notify("Consent/c1", consent("c1", "active", "deny"));

        await().atMost(Duration.ofSeconds(15)).until(() -> fx.count(
                "SELECT COUNT(*) FROM consent_event WHERE consent_value = 'REFUSED'") == 1);
        assertThat(fx.query("SELECT source FROM consent_event").get(0)).containsEntry("SOURCE", "fhir:c1");
        assertThat(fx.query("SELECT actor, subject FROM audit_event WHERE action = 'consent.refused'"))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("ACTOR", "fhir:c1"));
        assertThat(fx.query("SELECT status FROM outbox WHERE kind = 'REMINDER'"))
                .allSatisfy(r -> assertThat(r).containsEntry("STATUS", "CANCELLED"));
        // The reminders' times come and go: nothing is sent.
        fx.clock.advance(Duration.ofDays(3));
        Thread.sleep(500);
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
    }

    @Test
    void aPermitConsentAtAnOptInSiteReleasesTheHeldConfirmation() throws Exception {
        Path mappings = TestMappings.copy();
        String from = "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n";
        TestMappings.edit(mappings, "sites.yaml", text -> text.replace(from, from + "    consent: opt-in\n"));
        start(mappings);
        notify("Appointment/a1", appointment());
        await().atMost(Duration.ofSeconds(15)).until(() -> !Flow.requestsFor(fx, "messaging_consent").isEmpty());
        Flow.awaitIdle(fx);
        assertThat(confirmations()).isEmpty();
        assertThat(fx.query("SELECT status, error_reason FROM outbox WHERE kind = 'CONFIRMATION'").get(0))
                .containsEntry("STATUS", "PENDING").containsEntry("ERROR_REASON", "held: awaiting consent");
        fx.meta.clear();

        notify("Consent/c7", consent("c7", "active", "permit"));

        await().atMost(Duration.ofSeconds(15)).until(() -> !confirmations().isEmpty());
        assertThat(fx.query("SELECT consent FROM patient").get(0)).containsEntry("CONSENT", "GRANTED");
        assertThat(fx.query("SELECT consent_value, source FROM consent_event")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("CONSENT_VALUE", "GRANTED").containsEntry("SOURCE", "fhir:c7"));

        // Entered in error: the grant it made is taken back; later reminders are skipped, not sent.
        String error = consent("c7", "entered-in-error", "permit").replace("\"versionId\":\"1\"", "\"versionId\":\"2\"");
        notify("Consent/c7", error);
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.count(
                "SELECT COUNT(*) FROM consent_event WHERE consent_value = 'WITHDRAWN' AND source = 'fhir:c7'") == 1);
    }

    @Test
    void aConsentThatCannotBeReadIs400WithAnOperationOutcomeAndRecordsNothing() throws Exception {
        start(null);
        for (String bad : new String[]{
                consent("c2", "active", null),                                   // active, but permit or deny?
                consent("c2", "maybe", "permit"),                                // not an R4 Consent.status
                consent("c2", "active", "deny").replace("\"patient\":{\"reference\":\"Patient/p1\"},", ""),
                "{\"resourceType\":\"Consent\",\"id\":\"c2\",\"status\":"}) {     // not JSON at all
            HttpResponse<String> r = put("Consent/c2", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            JsonNode oo = JSON.readTree(r.body());
            assertThat(oo.path("resourceType").asText()).isEqualTo("OperationOutcome");
            assertThat(oo.path("issue").get(0).path("code").asText()).isEqualTo("invalid");
        }
        assertThat(fx.count("SELECT COUNT(*) FROM fhir_work")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM consent_event")).isZero();
    }

    /** The confirmations sent: this appointment names no practitioner, so its template's withoutProvider variant. */
    private List<MetaStub.Received> confirmations() {
        List<MetaStub.Received> sent = new java.util.ArrayList<>(Flow.requestsFor(fx, "appointment_confirmation"));
        sent.addAll(Flow.requestsFor(fx, "appointment_confirmation_no_provider"));
        return sent;
    }
}
