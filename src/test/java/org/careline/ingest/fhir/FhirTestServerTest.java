package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.sun.net.httpserver.HttpServer;
import org.careline.support.FhirTestServer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real HAPI FHIR JPA server of {@code fhir-testserver/} (see {@link FhirTestServer}): what its REST-hook
 * subscriptions deliver, byte for byte, to a subscriber (a JDK HTTP server in this test), and that conditional create
 * and JSON / FHIRPath Patch work on it. The request shapes pinned here are what Careline's FHIR intake has to accept.
 */
class FhirTestServerTest {

    /** One request as the subscriber saw it. Header names are lower-cased. */
    record Received(String method, String path, Map<String, String> headers, String body) {
    }

    private static IGenericClient fhir;

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<IdType> subscriptions = new ArrayList<>();

    @BeforeAll
    static void server() {
        FhirContext ctx = FhirContext.forR4Cached();
        ctx.getRestfulClientFactory().setSocketTimeout(60_000);
        fhir = ctx.newRestfulGenericClient(FhirTestServer.baseUrl());
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        for (IdType id : subscriptions) {
            fhir.delete().resourceById(id.toUnqualifiedVersionless()).execute();
        }
        receiver.stop(0);
    }

    private String endpoint(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** Creates a rest-hook Subscription and waits until the server reports it active. */
    private IdType subscribe(String criteria, String endpoint, String payload, String... headers) {
        Subscription s = new Subscription();
        s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        s.setReason("careline test");
        s.setCriteria(criteria);
        Subscription.SubscriptionChannelComponent ch = s.getChannel();
        ch.setType(Subscription.SubscriptionChannelType.RESTHOOK);
        ch.setEndpoint(endpoint);
        if (payload != null) {
            ch.setPayload(payload);
        }
        for (String h : headers) {
            ch.addHeader(h);
        }
        IdType id = (IdType) fhir.create().resource(s).execute().getId().toUnqualifiedVersionless();
        subscriptions.add(id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fhir.read().resource(Subscription.class).withId(id).execute().getStatus())
                        .isEqualTo(Subscription.SubscriptionStatus.ACTIVE));
        return id;
    }

    private static Appointment appointment() {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.addIdentifier().setSystem("urn:careline:test").setValue(UUID.randomUUID().toString());
        a.addParticipant().setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }

    @Test
    void restHookWithPayloadPutsTheResourceWithTheChannelHeaders() {
        subscribe("Appointment?", endpoint("/hook-a"), "application/fhir+json", "X-Careline-Secret: s3cret");

        IdType apptId = (IdType) fhir.create().resource(appointment()).execute().getId();
        String path = "/hook-a/Appointment/" + apptId.getIdPart();

        await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(r -> r.path().equals(path)));
        Received r = received.stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
        System.out.println("with payload: " + r);

        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.headers())
                .containsEntry("x-careline-secret", "s3cret")
                .containsEntry("content-type", "application/fhir+json; charset=UTF-8")
                .containsEntry("if-match", "W/\"1\"");
        assertThat(r.headers().get("user-agent")).startsWith("HAPI-FHIR/");
        Appointment delivered = FhirContext.forR4Cached().newJsonParser().parseResource(Appointment.class, r.body());
        assertThat(delivered.getIdElement().getIdPart()).isEqualTo(apptId.getIdPart());
        assertThat(delivered.getIdElement().getVersionIdPart()).isEqualTo("1");
        assertThat(delivered.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    }

    @Test
    void restHookWithoutPayloadPostsNothingToTheEndpoint() {
        subscribe("Appointment?", endpoint("/hook-b"), null, "X-Careline-Secret: s3cret");

        fhir.create().resource(appointment()).execute();

        await().atMost(Duration.ofSeconds(15)).until(() -> !received.isEmpty());
        Received r = received.get(0);
        System.out.println("without payload: " + r);

        // An empty POST to the endpoint itself: no resource type, no id. HAPI 8.6.5's client sends it as an empty
        // form post, with an If-None-Exist header it derives from the endpoint URL.
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hook-b");
        assertThat(r.body()).isEmpty();
        String hook = endpoint("/hook-b");
        assertThat(r.headers())
                .containsEntry("x-careline-secret", "s3cret")
                .containsEntry("content-length", "0")
                .containsEntry("content-type", "application/x-www-form-urlencoded; charset=UTF-8")
                .containsEntry("if-none-exist", hook + "," + hook + "?")
                .doesNotContainKey("if-match");
    }

    @Test
    void restHookOnDiagnosticReport() {
        subscribe("DiagnosticReport?", endpoint("/hook-c"), "application/fhir+json", "X-Careline-Secret: s3cret");

        DiagnosticReport report = new DiagnosticReport();
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.getCode().setText("HbA1c");
        report.addIdentifier().setSystem("urn:careline:test").setValue(UUID.randomUUID().toString());
        IdType reportId = (IdType) fhir.create().resource(report).execute().getId();
        String path = "/hook-c/DiagnosticReport/" + reportId.getIdPart();

        await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(r -> r.path().equals(path)));
        Received r = received.stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
        System.out.println("diagnostic report: " + r);

        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.headers())
                .containsEntry("x-careline-secret", "s3cret")
                .containsEntry("content-type", "application/fhir+json; charset=UTF-8");
        DiagnosticReport delivered =
                FhirContext.forR4Cached().newJsonParser().parseResource(DiagnosticReport.class, r.body());
        assertThat(delivered.getIdElement().getIdPart()).isEqualTo(reportId.getIdPart());
        assertThat(delivered.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(delivered.getCode().getText()).isEqualTo("HbA1c");
    }

    @Test
    void conditionalCreateReturnsTheExistingResourceTheSecondTime() {
        String mrn = UUID.randomUUID().toString();
        Patient p = new Patient();
        p.addIdentifier().setSystem("urn:careline:mrn").setValue(mrn);
        p.addName().setFamily("Okafor");
        String ifNoneExist = "Patient?identifier=urn:careline:mrn|" + mrn;

        MethodOutcome first = fhir.create().resource(p).conditionalByUrl(ifNoneExist).execute();
        MethodOutcome second = fhir.create().resource(p).conditionalByUrl(ifNoneExist).execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().toUnqualifiedVersionless().getValue())
                .isEqualTo(first.getId().toUnqualifiedVersionless().getValue());
        assertThat(second.getId().getVersionIdPart()).isEqualTo("1");
    }

    @Test
    void jsonPatchAndFhirPathPatch() {
        Appointment a = appointment();
        IdType id = (IdType) fhir.create().resource(a).execute().getId().toUnqualifiedVersionless();

        fhir.patch().withBody("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"arrived\"}]")
                .withId(id).execute();
        assertThat(fhir.read().resource(Appointment.class).withId(id).execute().getStatus())
                .isEqualTo(Appointment.AppointmentStatus.ARRIVED);

        Parameters patch = new Parameters();
        Parameters.ParametersParameterComponent op = patch.addParameter().setName("operation");
        op.addPart().setName("type").setValue(new CodeType("replace"));
        op.addPart().setName("path").setValue(new StringType("Appointment.status"));
        op.addPart().setName("value").setValue(new CodeType("fulfilled"));
        fhir.patch().withFhirPatch(patch).withId(id).execute();
        Appointment patched = fhir.read().resource(Appointment.class).withId(id).execute();
        assertThat(patched.getStatus()).isEqualTo(Appointment.AppointmentStatus.FULFILLED);
        assertThat(patched.getMeta().getVersionId()).isEqualTo("3");
    }
}
