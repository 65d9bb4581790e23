package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.careline.ingest.fhir.FhirSubscriptions;
import org.careline.support.EngineFixture;
import org.careline.support.FhirTestServer;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.TestMappings;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.AppointmentResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR side end to end against a real HAPI FHIR JPA server (support/FhirTestServer, its own process): Careline
 * puts its Subscriptions on the server at start (mappings/fhir.yaml), the test creates and changes Appointments and
 * DiagnosticReports there, the server notifies Careline, and the test checks what reached the Cloud API stand-in and
 * what Careline wrote back on the server (AppointmentResponse, Task, Communication).
 */
class FhirEndToEndTest {

    private static final String SECRET = "e2e-notify-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** HAPI answers a repeated search from a cache for a minute: the test polls, so it asks for fresh results. */
    private static final CacheControlDirective NO_CACHE = new CacheControlDirective().setNoCache(true);
    private static final AtomicInteger NUMBERS = new AtomicInteger(100);
    /**
     * Careline's clock: the latest 17:00 UTC not after now — daytime at the test site (Detroit), so confirmations are
     * not held for quiet hours, and not ahead of the server's own lastUpdated times, which catch-ups search by.
     */
    private static final Instant DAYTIME = daytime();
    private static IGenericClient server;
    private EngineFixture fx;

    private static Instant daytime() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(17, ChronoUnit.HOURS);
        return t.isAfter(Instant.now()) ? t.minus(1, ChronoUnit.DAYS) : t;
    }

    @BeforeAll
    static void connect() {
        server = FhirContext.forR4Cached().newRestfulGenericClient(FhirTestServer.baseUrl());
    }

    @AfterAll
    static void removeSubscriptions() {
        ours().forEach(s -> server.delete().resourceById(s.getIdElement().toUnqualifiedVersionless()).execute());
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /** Starts Careline pointed at the server, and waits until its Subscriptions there point back at it. */
    private void start(Path mappings) throws Exception {
        int port = EngineFixture.freePort();
        String callback = "http://127.0.0.1:" + port + "/fhir";
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_HTTP_PORT", String.valueOf(port));
        env.put("CARELINE_FHIR_BASE_URL", FhirTestServer.baseUrl());
        env.put("CARELINE_FHIR_CALLBACK_URL", callback);
        env.put("CARELINE_FHIR_NOTIFY_SECRET", SECRET);
        env.put("CARELINE_FHIR_INTERVAL_MS", "100");
        env.put("CARELINE_WRITEBACK_INTERVAL_MS", "100");
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        fx = EngineFixture.start(env, DAYTIME);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ours()).hasSize(2).allSatisfy(s -> {
                assertThat(s.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
                assertThat(s.getChannel().getEndpoint()).isEqualTo(callback);
            });
        });
    }

    /** The Subscriptions Careline keeps on the server (tagged by it). */
    private static List<Subscription> ours() {
        return server.search().forResource(Subscription.class).count(200).cacheControl(NO_CACHE).returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (Subscription) e.getResource())
                .filter(s -> s.getMeta().getTag().stream().anyMatch(t -> FhirSubscriptions.TAG_SYSTEM.equals(t.getSystem())))
                .toList();
    }

    /** A patient with a mobile number of their own (so sends can be told apart), at the GH Clinic site. */
    private record Booked(String phone, IdType patient, IdType location, IdType appointment) {
        String to() {
            return phone.substring(1);
        }
    }

    private Booked book(Instant start) {
        String phone = "+1608271" + (9000 + NUMBERS.incrementAndGet());
        Patient p = new Patient();
        p.addName().setFamily("Roe").addGiven("Jane");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.HOME)
                .setValue("+1 608 555 0100");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.MOBILE)
                .setValue(phone);
        p.addCommunication().setPreferred(true).setLanguage(new CodeableConcept(new Coding("urn:ietf:bcp:47", "en", null)));
        IdType patient = create(p);
        Location l = new Location();
        l.setName("GH Clinic");
        // Not the site's own pin (sites.yaml): the LOCATION reply must send this one.
        l.getPosition().setLatitude(42.2770).setLongitude(-83.7382);
        IdType location = create(l);
        Practitioner dr = new Practitioner();
        dr.addName().setFamily("Careful").addGiven("Adam").addPrefix("Dr");
        IdType practitioner = create(dr);
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setStart(Date.from(start));
        a.setEnd(Date.from(start.plus(30, ChronoUnit.MINUTES)));
        a.addParticipant().setActor(new Reference(patient)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant().setActor(new Reference(practitioner)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant().setActor(new Reference(location)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return new Booked(phone, patient, location, create(a));
    }

    private static IdType create(Resource r) {
        return (IdType) server.create().resource(r).execute().getId().toUnqualifiedVersionless();
    }

    private List<MetaStub.Received> sent(String template, String to) {
        return fx.meta.received().stream()
                .filter(r -> template.equals(r.json().path("template").path("name").asText()))
                .filter(r -> to.equals(r.json().path("to").asText()))
                .toList();
    }

    private void awaitSent(String template, String to) {
        await().atMost(WAIT).until(() -> sent(template, to).size() == 1);
    }

    /** Waits until Careline has acted on the resource's current version on the server. */
    private void awaitApplied(IdType id) {
        String version = server.read().resource(id.getResourceType()).withId(id.getIdPart()).execute()
                .getMeta().getVersionId();
        await().atMost(WAIT).until(() -> fx.count("SELECT COUNT(*) FROM fhir_resource WHERE resource_type = ? "
                + "AND resource_id = ? AND version_id = ?", id.getResourceType(), id.getIdPart(), version) == 1);
    }

    private Appointment read(IdType id) {
        return server.read().resource(Appointment.class).withId(id).execute();
    }

    @Test
    void aBookedAppointmentIsConfirmedRescheduledAndCancelledOnceEach() throws Exception {
        start(TestMappings.withFhirSite());
        ch.qos.logback.classic.Logger syncLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(FhirSync.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        syncLog.addAppender(lines);
        Booked b;
        try {
            b = book(DAYTIME.plus(3, ChronoUnit.DAYS));
            awaitSent("appointment_confirmation", b.to());
        } finally {
            syncLog.detachAppender(lines);
        }
        // The same due lines as an SIU's: each queued message by id, when it is due and why; no patient data.
        List<String> due = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(l -> l.matches("outbox=\\d+ appointment=\\d+ .* due .*")).toList();
        assertThat(due).anySatisfy(l -> assertThat(l).contains(" confirmation due now"));
        assertThat(due).anySatisfy(l -> assertThat(l).matches(".* reminder \\S+ due \\d{4}-.*Z: .*before the visit"));
        assertThat(String.join("\n", due)).doesNotContain(b.to().replace("+", ""));
        assertThat(fx.query("SELECT a.status, a.site_code, a.pin_latitude FROM appointment a WHERE a.source = 'FHIR' "
                + "AND a.external_id = ?", b.appointment().getIdPart()))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("STATUS")).isEqualTo("BOOKED");
                    assertThat(r.get("SITE_CODE")).isEqualTo("gh-clinic");
                    assertThat(((Number) r.get("PIN_LATITUDE")).doubleValue()).isEqualTo(42.2770);
                });
        reply(b, "LOCATION");
        await().atMost(WAIT).until(() -> fx.meta.received().stream().anyMatch(r -> b.to().equals(
                r.json().path("to").asText()) && "location".equals(r.json().path("type").asText())));
        assertThat(fx.meta.received()).filteredOn(r -> "location".equals(r.json().path("type").asText()))
                .singleElement().satisfies(r -> {
                    assertThat(r.json().path("location").path("latitude").asDouble()).isEqualTo(42.2770);
                    assertThat(r.json().path("location").path("longitude").asDouble()).isEqualTo(-83.7382);
                    assertThat(r.json().path("location").path("name").asText()).isEqualTo("GH Clinic");
                });
        // Reminders are planned as for an SIU booking.
        assertThat(fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                + "WHERE a.external_id = ? AND o.kind = 'REMINDER' AND o.status = 'PENDING'",
                b.appointment().getIdPart())).isGreaterThanOrEqualTo(1);

        // The same notification again (a replay of the current version): nothing more.
        String current = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(read(b.appointment()));
        HttpResponse<String> replay = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + fx.httpPort() + "/fhir/Appointment/" + b.appointment().getIdPart()))
                .header("Content-Type", "application/fhir+json").header("X-Careline-Secret", SECRET)
                .PUT(HttpRequest.BodyPublishers.ofString(current)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(200);

        Appointment moved = read(b.appointment());
        moved.setStart(Date.from(moved.getStart().toInstant().plus(1, ChronoUnit.DAYS)));
        moved.setEnd(Date.from(moved.getEnd().toInstant().plus(1, ChronoUnit.DAYS)));
        server.update().resource(moved).execute();
        awaitSent("appointment_rescheduled", b.to());

        Appointment cancelled = read(b.appointment());
        cancelled.setStatus(Appointment.AppointmentStatus.CANCELLED);
        server.update().resource(cancelled).execute();
        awaitSent("appointment_cancelled", b.to());
        awaitApplied(b.appointment());

        assertThat(sent("appointment_confirmation", b.to())).hasSize(1);
        assertThat(sent("appointment_rescheduled", b.to())).hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                + "WHERE a.external_id = ? AND o.kind = 'REMINDER' AND o.status = 'PENDING'",
                b.appointment().getIdPart())).isZero();
        assertThat(fx.query("SELECT status FROM appointment WHERE source = 'FHIR' AND external_id = ?",
                b.appointment().getIdPart())).extracting(r -> r.get("STATUS")).containsExactly("CANCELLED");
    }

    @Test
    void patientsAnswersAreWrittenBackToTheServer() throws Exception {
        start(TestMappings.withFhirSite());
        Booked b = book(DAYTIME.plus(3, ChronoUnit.DAYS));
        awaitSent("appointment_confirmation", b.to());

        reply(b, "CONFIRM");
        await().atMost(WAIT).until(() -> responses(b).size() == 1);
        assertThat(responses(b).get(0).getParticipantStatus())
                .isEqualTo(AppointmentResponse.ParticipantStatus.ACCEPTED);
        assertThat(responses(b).get(0).getActor().getReference()).isEqualTo(b.patient().getValue());

        reply(b, "CHANGE");
        await().atMost(WAIT).until(() -> responses(b).size() == 2);
        assertThat(responses(b)).extracting(AppointmentResponse::getParticipantStatus)
                .contains(AppointmentResponse.ParticipantStatus.TENTATIVE);
        await().atMost(WAIT).untilAsserted(() -> {
            List<Task> tasks = server.search().forResource(Task.class)
                    .where(Task.FOCUS.hasId(b.appointment())).cacheControl(NO_CACHE).returnBundle(Bundle.class).execute().getEntry()
                    .stream().map(e -> (Task) e.getResource()).toList();
            assertThat(tasks).singleElement().satisfies(t -> {
                assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
                assertThat(t.getCode().getCodingFirstRep().getCode()).isEqualTo("reschedule");
                assertThat(t.getFor().getReference()).isEqualTo(b.patient().getValue());
            });
        });
        // gh-clinic records patients' messages: one Communication per message, about the appointment.
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.search().forResource(Communication.class)
                .where(Communication.SUBJECT.hasId(b.patient())).cacheControl(NO_CACHE).returnBundle(Bundle.class).execute().getEntry())
                .hasSize(2));
        assertThat(fx.count("SELECT COUNT(*) FROM writeback_request WHERE status <> 'DONE'")).isZero();
    }

    private void reply(Booked b, String text) {
        ObjectNode payload = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), b.to(), fx.clock.instant());
        ((ObjectNode) MetaWebhooks.messages(payload).get(0).path("text")).put("body", text);
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
    }

    private List<AppointmentResponse> responses(Booked b) {
        return server.search().forResource(AppointmentResponse.class)
                .where(AppointmentResponse.APPOINTMENT.hasId(b.appointment())).cacheControl(NO_CACHE).returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (AppointmentResponse) e.getResource()).toList();
    }

    @Test
    void aReportIsAnnouncedOnBecomingFinalAndAgainWhenAmendedWithoutItsContent() throws Exception {
        start(TestMappings.withFhirSite());
        Booked b = book(DAYTIME.plus(3, ChronoUnit.DAYS));
        awaitSent("appointment_confirmation", b.to());
        DiagnosticReport r = new DiagnosticReport();
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        r.getCode().addCoding(new Coding("http://loinc.org", "58410-2", "CBC panel")).setText("Complete blood count");
        r.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "HM", null)));
        r.setSubject(new Reference(b.patient()));
        r.setConclusion("SECRET-CONCLUSION-haemoglobin-low");
        IdType report = create(r);
        awaitApplied(report);
        assertThat(sent("results_available", b.to())).isEmpty();

        DiagnosticReport fin = server.read().resource(DiagnosticReport.class).withId(report).execute();
        fin.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        server.update().resource(fin).execute();
        awaitSent("results_available", b.to());

        DiagnosticReport amended = server.read().resource(DiagnosticReport.class).withId(report).execute();
        amended.setStatus(DiagnosticReport.DiagnosticReportStatus.AMENDED);
        amended.setConclusion("SECRET-CONCLUSION-amended");
        server.update().resource(amended).execute();
        awaitSent("results_updated", b.to());
        awaitApplied(report);
        assertThat(sent("results_available", b.to())).hasSize(1);
        assertThat(fx.meta.received()).allSatisfy(req -> assertThat(req.body())
                .doesNotContain("SECRET-CONCLUSION").doesNotContain("Complete blood count").doesNotContain("CBC"));
    }

    @Test
    void emptyPayloadNotificationsAreCaughtUpBySearching() throws Exception {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "fhir.yaml", t -> t.replace("payload: full-resource", "payload: empty"));
        start(mappings);
        await().atMost(WAIT).until(() -> ours().stream().noneMatch(s -> s.getChannel().hasPayload()));
        Booked b = book(DAYTIME.plus(3, ChronoUnit.DAYS));
        awaitSent("appointment_confirmation", b.to());
        assertThat(fx.count("SELECT COUNT(*) FROM fhir_sync_state WHERE resource_type = 'Appointment'")).isEqualTo(1);
    }

    @Test
    void aTopicNotificationWithOnlyAnIdIsReadFromTheServerAndAGapIsCaughtUp() throws Exception {
        Path mappings = TestMappings.copy();
        // No subscriptions of its own: this engine hears only what the test posts, as from a topic-based server.
        TestMappings.edit(mappings, "fhir.yaml", t -> t.substring(0, t.indexOf("\nsubscriptions:")) + "\nsubscriptions: []\n");
        start0(mappings);
        Booked first = book(DAYTIME.plus(3, ChronoUnit.DAYS));
        Booked missed = book(DAYTIME.plus(4, ChronoUnit.DAYS));
        Booked third = book(DAYTIME.plus(5, ChronoUnit.DAYS));
        assertThat(post(idOnly("Subscription/topic-1", 1, first.appointment()))).isEqualTo(200);
        awaitSent("appointment_confirmation", first.to());
        // Event 2 (the missed appointment) never arrives; event 3 does: Careline asks the server for what changed.
        assertThat(post(idOnly("Subscription/topic-1", 3, third.appointment()))).isEqualTo(200);
        awaitSent("appointment_confirmation", third.to());
        awaitSent("appointment_confirmation", missed.to());
    }

    private void start0(Path mappings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_FHIR_BASE_URL", FhirTestServer.baseUrl());
        env.put("CARELINE_FHIR_NOTIFY_SECRET", SECRET);
        env.put("CARELINE_FHIR_INTERVAL_MS", "100");
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        fx = EngineFixture.start(env, DAYTIME);
    }

    private int post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/fhir")).header("Content-Type", "application/fhir+json").header("X-Careline-Secret", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** A Backport IG (R4) id-only event notification, as a topic-based server sends it. */
    private static String idOnly(String subscription, long number, IdType focus) {
        String ref = FhirTestServer.baseUrl() + "/" + focus.getResourceType() + "/" + focus.getIdPart();
        return "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"timestamp\":\"" + Instant.now() + "\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:0e1f2a3b-0000-4000-8000-" + String.format("%012d", number) + "\","
                + "\"resource\":{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"subscription\",\"valueReference\":{\"reference\":\"" + subscription + "\"}},"
                + "{\"name\":\"topic\",\"valueCanonical\":\"http://example.org/topics/appointments\"},"
                + "{\"name\":\"status\",\"valueCode\":\"active\"},"
                + "{\"name\":\"type\",\"valueCode\":\"event-notification\"},"
                + "{\"name\":\"events-since-subscription-start\",\"valueString\":\"" + number + "\"},"
                + "{\"name\":\"notification-event\",\"part\":[{\"name\":\"event-number\",\"valueString\":\"" + number
                + "\"},{\"name\":\"focus\",\"valueReference\":{\"reference\":\"" + ref + "\"}}]}]}},"
                + "{\"fullUrl\":\"" + ref + "\",\"request\":{\"method\":\"PUT\",\"url\":\"" + focus.getResourceType()
                + "/" + focus.getIdPart() + "\"},\"response\":{\"status\":\"200\"}}]}";
    }
}
