package org.careline.writeback;

import org.careline.model.WritebackStatus;
import org.careline.model.WritebackAction;
import org.careline.support.TestMappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.FhirStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.SchedulingPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careline.writeback.Requests.*;

/**
 * Write-back to a FHIR scheduling system end to end: FHIR-fed appointments, requests queued as the reply handler
 * queues them (or patients' messages through the signed webhook), and a local FHIR server ({@link FhirStub}) checked
 * for what arrives and how each answer leaves the queue. Site "main" has the FHIR options off (the default);
 * "gh-clinic" lets patients cancel and records their messages. An MLLP peer is there too: HL7 appointments keep
 * going over MLLP.
 */
class FhirWritebackFlowTest {

    private static final String SYSTEM = "urn:careline:writeback";
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static FhirStub fhir;
    private static SchedulingPeer peer;
    private static EngineFixture fx;
    private static Path mappings;

    @BeforeAll
    static void start() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new Requests.Tee(originalErr, LOG), true, StandardCharsets.UTF_8));
        fhir = new FhirStub();
        peer = SchedulingPeer.onFreePort();
        peer.start();
        mappings = TestMappings.withFhirSite();
        Map<String, String> env = new java.util.HashMap<>(env(peer));
        env.put("CARELINE_FHIR_BASE_URL", fhir.baseUrl());
        env.put("CARELINE_FHIR_NOTIFY_OPEN", "true"); // write-back only: no notifications in these tests
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        fx = EngineFixture.start(env, NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (fx != null) {
                fx.close();
            }
            if (peer != null) {
                peer.close();
            }
            if (fhir != null) {
                fhir.close();
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    @BeforeEach
    void answerNormally() {
        fhir.answerNormally();
        peer.answer(m -> "AA");
    }

    @Test
    void aConfirmBecomesExactlyOneAcceptedAppointmentResponseCreatedOnlyIfNoneExists() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        List<FhirStub.Received> posts = postsFor(id, "AppointmentResponse");
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).ifNoneExist()).isEqualTo("identifier=" + SYSTEM + "|" + id);
        // As the specification writes it: the search parameters, not HAPI's absolute, encoded URL.
        assertThat(posts.get(0).header("If-None-Exist")).isEqualTo("identifier=" + SYSTEM + "|" + id);
        JsonNode body = posts.get(0).json();
        assertThat(body.path("resourceType").asText()).isEqualTo("AppointmentResponse");
        assertThat(body.path("participantStatus").asText()).isEqualTo("accepted");
        assertThat(body.path("appointment").path("reference").asText()).isEqualTo("Appointment/" + appt.appointmentFhirId());
        assertThat(body.path("actor").path("reference").asText()).isEqualTo("Patient/" + appt.patientFhirId());
        assertThat(body.path("identifier").get(0).path("value").asText()).isEqualTo(String.valueOf(id));

        List<ObjectNode> created = fhir.withIdentifier("AppointmentResponse", SYSTEM, String.valueOf(id));
        assertThat(created).hasSize(1);
        Map<String, Object> row = request(fx, id);
        assertThat(row.get("REMOTE_REF")).isEqualTo("AppointmentResponse/" + created.get(0).path("id").asText());
        assertThat(row.get("ATTEMPTS")).isEqualTo(1);
        assertThat(row.get("CLAIMED_BY")).isNull();
        assertThat(receivedFor(peer, appt.appointmentFhirId())).isEmpty();
        // No conformance check first: a server that guards /metadata must not stop write-backs.
        assertThat(fhir.received("GET", "metadata")).isEmpty();
    }

    @Test
    void aChangeBecomesATentativeAnswerAndARescheduleTaskOnTheAppointment() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        long id = enqueue(fx, appt.id(), WritebackAction.CHANGE);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        assertThat(postsFor(id, "AppointmentResponse")).singleElement()
                .satisfies(r -> assertThat(r.json().path("participantStatus").asText()).isEqualTo("tentative"));
        List<FhirStub.Received> tasks = fhir.received("POST", "Task").stream()
                .filter(r -> ("identifier=" + SYSTEM + "|" + id + "-task").equals(r.ifNoneExist())).toList();
        assertThat(tasks).hasSize(1);
        JsonNode task = tasks.get(0).json();
        assertThat(task.path("status").asText()).isEqualTo("requested");
        assertThat(task.path("intent").asText()).isEqualTo("order");
        assertThat(task.path("code").path("coding").get(0).path("code").asText()).isEqualTo("reschedule");
        assertThat(task.path("focus").path("reference").asText()).isEqualTo("Appointment/" + appt.appointmentFhirId());
        assertThat(task.path("for").path("reference").asText()).isEqualTo("Patient/" + appt.patientFhirId());
        assertThat((String) request(fx, id).get("REMOTE_REF")).matches("AppointmentResponse/\\d+ Task/\\d+");
    }

    @Test
    void aCancelIsADeclinedAnswerOnlyWhereTheSiteDoesNotLetPatientsCancel() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        long id = enqueue(fx, appt.id(), WritebackAction.CANCEL);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        assertThat(postsFor(id, "AppointmentResponse")).singleElement()
                .satisfies(r -> assertThat(r.json().path("participantStatus").asText()).isEqualTo("declined"));
        assertThat(fhir.received("PATCH", "Appointment/" + appt.appointmentFhirId())).isEmpty();
    }

    @Test
    void aCancelWhereTheSiteLetsPatientsCancelAlsoPatchesTheAppointmentToCancelled() throws Exception {
        FhirBooked appt = fhirBook(fx, "gh-clinic");
        long id = enqueue(fx, appt.id(), WritebackAction.CANCEL);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        assertThat(postsFor(id, "AppointmentResponse")).singleElement()
                .satisfies(r -> assertThat(r.json().path("participantStatus").asText()).isEqualTo("declined"));
        List<FhirStub.Received> patches = fhir.received("PATCH", "Appointment/" + appt.appointmentFhirId());
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0).header("Content-Type")).startsWith("application/json-patch+json");
        JsonNode ops = patches.get(0).json();
        assertThat(ops.get(0).path("value").asText()).isEqualTo("cancelled");
        assertThat(ops.get(1).path("value").path("coding").get(0).path("code").asText()).isEqualTo("pat");
        // The answer is on record before the appointment changes.
        assertThat(fhir.received().indexOf(postsFor(id, "AppointmentResponse").get(0)))
                .isLessThan(fhir.received().indexOf(patches.get(0)));
        assertThat((String) request(fx, id).get("REMOTE_REF"))
                .matches("AppointmentResponse/\\d+ Appointment/" + appt.appointmentFhirId());
    }

    @Test
    void aServerUnavailableTwiceIsRetriedWithBackoffAndMakesExactlyOneResource() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        AtomicInteger failures = new AtomicInteger();
        fhir.answer(r -> r.body().contains(appt.appointmentFhirId()) && failures.getAndIncrement() < 2 ? 503 : null);
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> attempts(fx, id) >= 1);
        Map<String, Object> row = request(fx, id);
        assertThat(row.get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
        assertThat((String) row.get("LAST_ERROR")).isEqualTo("create AppointmentResponse: HTTP 503");
        fx.clock.advance(PAST_ANY_BACKOFF);
        await().atMost(WAIT).until(() -> attempts(fx, id) >= 2);
        fx.clock.advance(PAST_ANY_BACKOFF);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));

        assertThat(postsFor(id, "AppointmentResponse")).extracting(FhirStub.Received::status)
                .containsExactly(503, 503, 201);
        assertThat(fhir.withIdentifier("AppointmentResponse", SYSTEM, String.valueOf(id))).hasSize(1);
        assertThat(attempts(fx, id)).isEqualTo(3);
    }

    @Test
    void aWriteWhoseAnswerWasLostIsNotMadeTwiceWhenTheRequestIsRetried() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        long id = enqueue(fx, appt.id(), WritebackAction.CHANGE);
        // The Task is created, but its answer never arrives: the whole request is made again.
        fhir.loseAnswers("Task", 504, 1);

        await().atMost(WAIT).until(() -> attempts(fx, id) >= 1);
        assertThat(status(fx, id)).isEqualTo(WritebackStatus.PENDING.dbValue());
        fx.clock.advance(PAST_ANY_BACKOFF);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));

        assertThat(postsFor(id, "AppointmentResponse")).extracting(FhirStub.Received::status).containsExactly(201, 200);
        assertThat(fhir.withIdentifier("AppointmentResponse", SYSTEM, String.valueOf(id))).hasSize(1);
        assertThat(fhir.withIdentifier("Task", SYSTEM, id + "-task")).hasSize(1);
    }

    @Test
    void aRefusedWriteRejectsTheRequestRaisesAnAlertAndIsNotResent() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        fhir.answer(r -> r.body().contains(appt.appointmentFhirId()) ? 422 : null);
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> WritebackStatus.REJECTED.dbValue().equals(status(fx, id)));
        Map<String, Object> row = request(fx, id);
        assertThat(row.get("LAST_ERROR")).isEqualTo("HTTP 422: create AppointmentResponse");
        assertThat(row.get("ATTEMPTS")).isEqualTo(1);
        List<Map<String, Object>> alerts = fx.query("SELECT * FROM alert WHERE kind = 'writeback-rejected' "
                + "AND detail LIKE ?", "writeback=" + id + " %");
        assertThat(alerts).singleElement().satisfies(a -> assertThat((String) a.get("DETAIL")).contains("http=422")
                .doesNotContain(appt.patientFhirId()));

        fx.clock.advance(PAST_ANY_BACKOFF);
        long later = enqueue(fx, fhirBook(fx, "main").id(), WritebackAction.CONFIRM);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, later)));
        assertThat(postsFor(id, "AppointmentResponse")).hasSize(1);
        assertThat(status(fx, id)).isEqualTo(WritebackStatus.REJECTED.dbValue());
        await().atMost(WAIT).until(() -> logText().contains("writeback=" + id + " appointment=" + appt.id()));
        assertThat(logText()).doesNotContain(appt.patientFhirId()).doesNotContain(appt.phone());
    }

    @Test
    void whereTheSiteRecordsMessagesEachPatientMessageBecomesACommunicationBeforeTheAnswerItLeadsTo() throws Exception {
        FhirBooked appt = fhirBook(fx, "gh-clinic");
        String question = "Can I bring my daughter along?";
        post(appt, question);
        await().atMost(WAIT).until(() -> communicationsAbout(appt).size() == 1);
        post(appt, "Yes");

        await().atMost(WAIT).until(() -> communicationsAbout(appt).size() == 2
                && fx.count("SELECT COUNT(*) FROM writeback_request WHERE appointment_id = ? AND status = 'DONE'",
                appt.id()) == 3);
        List<FhirStub.Received> comms = communicationsAbout(appt);
        assertThat(comms).extracting(r -> r.json().path("payload").get(0).path("contentString").asText())
                .containsExactly(question, "Yes");
        JsonNode c = comms.get(0).json();
        assertThat(c.path("status").asText()).isEqualTo("completed");
        assertThat(c.path("subject").path("reference").asText()).isEqualTo("Patient/" + appt.patientFhirId());
        assertThat(c.path("sender").path("reference").asText()).isEqualTo("Patient/" + appt.patientFhirId());
        assertThat(c.path("medium").get(0).path("text").asText()).isEqualTo("WhatsApp");
        assertThat(c.path("sent").asText()).isNotEmpty();
        assertThat(c.path("received").asText()).isNotEmpty();
        List<Map<String, Object>> rows = fx.query("SELECT id, action, inbound_reply_id FROM writeback_request "
                + "WHERE appointment_id = ? ORDER BY id", appt.id());
        assertThat(rows).extracting(r -> r.get("ACTION"))
                .containsExactly("RECORD_MESSAGE", "RECORD_MESSAGE", "CONFIRM");
        assertThat(comms.get(0).ifNoneExist()).isEqualTo("identifier=" + SYSTEM + "|" + rows.get(0).get("ID"));
        // The "Yes" is on record before the answer it led to.
        FhirStub.Received answer = postsFor((Long) rows.get(2).get("ID"), "AppointmentResponse").get(0);
        assertThat(answer.json().path("participantStatus").asText()).isEqualTo("accepted");
        assertThat(fhir.received().indexOf(comms.get(1))).isLessThan(fhir.received().indexOf(answer));
        assertThat(logText()).doesNotContain(question);
    }

    @Test
    void byDefaultNoMessageIsWrittenToTheEhr() throws Exception {
        FhirBooked appt = fhirBook(fx, "main");
        post(appt, "Yes");

        await().atMost(WAIT).until(() -> fx.count("SELECT COUNT(*) FROM writeback_request WHERE appointment_id = ? "
                + "AND status = 'DONE'", appt.id()) == 1);
        assertThat(fx.query("SELECT action FROM writeback_request WHERE appointment_id = ?", appt.id()))
                .extracting(r -> r.get("ACTION")).containsExactly("CONFIRM");
        assertThat(communicationsAbout(appt)).isEmpty();
    }

    @Test
    void hl7AppointmentsStillGoOverMllpAndNotToTheFhirServer() throws Exception {
        int fhirRequests = fhir.received().size();
        Booked appt = book(fx, "2.5");
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        assertThat(receivedFor(peer, appt.fillerId())).singleElement()
                .satisfies(m -> assertThat(trigger(m)).isEqualTo("S03"));
        assertThat(request(fx, id).get("ACK_CODE")).isEqualTo("AA");
        assertThat(request(fx, id).get("REMOTE_REF")).isNull();
        assertThat(fhir.received().subList(fhirRequests, fhir.received().size()))
                .noneMatch(r -> r.body().contains(appt.fillerId()));
    }

    private static List<FhirStub.Received> postsFor(long requestId, String type) {
        return fhir.received("POST", type).stream()
                .filter(r -> ("identifier=" + SYSTEM + "|" + requestId).equals(r.ifNoneExist())).toList();
    }

    private static List<FhirStub.Received> communicationsAbout(FhirBooked appt) {
        return fhir.received("POST", "Communication").stream()
                .filter(r -> r.status() == 201 && r.body().contains("Appointment/" + appt.appointmentFhirId())).toList();
    }

    private static void post(FhirBooked appt, String text) {
        ObjectNode payload = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), appt.from(), fx.clock.instant());
        ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text").put("body", text);
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
    }

    private static String logText() {
        synchronized (LOG) {
            return LOG.toString(StandardCharsets.UTF_8);
        }
    }
}
