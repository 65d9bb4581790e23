package org.careline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Staff working an item over HTTP against the running engine: a patient's signed webhook opens it; two nurses
 * claim at once and one wins; the winner answers inside the 24-hour window (the text reaches the Cloud API
 * stand-in), is refused outside it and sends the follow-up template instead; notes, resolves; a nurse of another
 * site is refused; the audit trail names who saw which patient, without the words.
 */
class TriageApiTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit"))
            .toInstant();
    private static final String PASSWORD = "triage-api-password";
    private static final String PHONE = "16082719000";

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD), NOW);
        // ten days ahead: no reminder falls due when the test moves the clock on a day
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(10))));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() == 1); // the confirmation
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        user(admin, "nurse1", "staff", "[\"gh-clinic\"]");
        user(admin, "nurse2", "staff", "[\"gh-clinic\"]");
        user(admin, "london.nurse", "staff", "[\"royal-london\"]");
        user(admin, "auditor1", "auditor", "null");
        receive("Are my test results back?");
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() == 2); // the acknowledgement
        fx.meta.clear();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void twoNursesClaimAtOnceOneWinsAndAnswersInsideTheWindowThenOnlyTheTemplate() throws Exception {
        StaffClient nurse1 = staff("nurse1");
        StaffClient nurse2 = staff("nurse2");
        JsonNode queues = nurse1.get("/api/v1/queues").json();
        assertThat(queues.toString()).contains("\"queue\":\"results\"");
        JsonNode list = nurse1.get("/api/v1/handoffs?queue=results&status=OPEN").json();
        assertThat(list).hasSize(1);
        long id = list.get(0).get("id").asLong();
        String item = "/api/v1/handoffs/" + id;

        JsonNode detail = nurse1.get(item).json();
        assertThat(detail.get("messages").get(0).get("text").asText()).isEqualTo("Are my test results back?");
        assertThat(detail.get("window").get("open").asBoolean()).isTrue();
        long patientId = detail.get("patient").get("id").asLong();

        // Both press Claim at the same moment: one gets the item, the other is told who has it.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StaffClient.Answer>> claims = new ArrayList<>();
        for (StaffClient nurse : List.of(nurse1, nurse2)) {
            claims.add(pool.submit(() -> {
                go.await();
                return nurse.post(item + "/claim", "{}");
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<StaffClient.Answer> f : claims) {
            statuses.add(f.get().status());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        StaffClient winner = statuses.get(0) == 200 ? nurse1 : nurse2;
        StaffClient loser = winner == nurse1 ? nurse2 : nurse1;
        String winnerName = winner == nurse1 ? "nurse1" : "nurse2";
        assertThat(fx.count("SELECT COUNT(*) FROM handoff_event WHERE handoff_id = ? AND kind = 'CLAIMED'", id))
                .isEqualTo(1);

        StaffClient.Answer notMine = loser.post(item + "/reply", "{\"text\":\"Hello\"}");
        assertThat(notMine.status()).isEqualTo(409);
        assertThat(notMine.json().get("error").asText()).isEqualTo("claimed by " + winnerName);

        StaffClient.Answer replied = winner.post(item + "/reply",
                "{\"text\":\"Your results are in the patient portal now.\"}");
        assertThat(replied.status()).as(replied.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() == 1);
        assertThat(fx.meta.received().get(0).json().path("text").path("body").asText())
                .isEqualTo("Your results are in the patient portal now.");

        // A day later the patient's window has closed: no free text, the follow-up template instead.
        fx.clock.advance(Duration.ofHours(25));
        assertThat(winner.get(item).status()).isEqualTo(401); // and the session has ended meanwhile
        winner = staff(winnerName);
        StaffClient.Answer late = winner.post(item + "/reply", "{\"text\":\"Anything else?\"}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("followUpTemplate").asText()).isEqualTo("care_team_follow_up");
        assertThat(late.json().get("error").asText()).contains("24-hour window");
        assertThat(winner.get(item).json().get("window").get("open").asBoolean()).isFalse();
        StaffClient.Answer followUp = winner.post(item + "/follow-up", "{}");
        assertThat(followUp.status()).as(followUp.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() == 2);
        assertThat(fx.meta.received().get(1).json().path("template").path("name").asText())
                .isEqualTo("care_team_follow_up");

        assertThat(winner.post(item + "/note", "{\"text\":\"Called the patient too.\"}").status()).isEqualTo(200);
        assertThat(winner.post(item + "/resolve", "{}").status()).isEqualTo(200);
        assertThat(winner.post(item + "/resolve", "{}").status()).isEqualTo(409);
        assertThat(fx.query("SELECT status, resolved_by FROM staff_handoff WHERE id = ?", id).get(0))
                .containsEntry("STATUS", "RESOLVED").containsEntry("RESOLVED_BY", winnerName);

        // The patient's timeline, for a nurse of the site; another site's nurse learns nothing.
        StaffClient.Answer timeline = winner.get("/api/v1/patients/" + patientId + "/timeline");
        assertThat(timeline.status()).isEqualTo(200);
        assertThat(timeline.body()).contains("Your results are in the patient portal now.",
                "Are my test results back?");
        StaffClient london = staff("london.nurse");
        assertThat(london.get("/api/v1/patients/" + patientId + "/timeline").status()).isEqualTo(404);
        assertThat(london.get(item).status()).isEqualTo(403);
        assertThat(london.post(item + "/note", "{\"text\":\"x\"}").status()).isEqualTo(403);
        assertThat(london.get("/api/v1/handoffs").json()).isEmpty();

        // The trail: who saw the patient and what they did, never the words.
        StaffClient auditor = staff("auditor1");
        StaffClient.Answer trail = auditor.get("/api/v1/audit?patient=" + patientId);
        assertThat(trail.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        trail.json().forEach(l -> actions.add(l.get("actor").asText() + " " + l.get("action").asText() + " "
                + l.get("outcome").asText()));
        assertThat(actions).contains("nurse1 view_handoff ok", winnerName + " claim ok", winnerName + " reply ok",
                winnerName + " reply refused", winnerName + " follow_up ok", winnerName + " resolve ok",
                winnerName + " view_patient ok", "london.nurse view_patient denied", "london.nurse view_handoff denied");
        assertThat(trail.body()).doesNotContain("portal now", "test results back", "Called the patient");
    }

    @Test
    void anEmergencyRaisesAnAlertThatStaffSeeAndAcknowledgeOnce() throws Exception {
        receive("I have chest pain");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'emergency'") == 1);
        StaffClient nurse1 = staff("nurse1");
        JsonNode open = nurse1.get("/api/v1/alerts?open=true").json();
        JsonNode emergency = null;
        for (JsonNode a : open) {
            if (a.get("kind").asText().equals("emergency")) {
                emergency = a;
            }
        }
        assertThat(emergency).isNotNull();
        assertThat(emergency.get("severity").asText()).isEqualTo("critical");
        assertThat(emergency.toString()).doesNotContain("chest");
        long alertId = emergency.get("id").asLong();
        assertThat(nurse1.post("/api/v1/alerts/" + alertId + "/ack", "{}").status()).isEqualTo(200);
        StaffClient.Answer again = staff("nurse2").post("/api/v1/alerts/" + alertId + "/ack", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).startsWith("acknowledged by nurse1");
        JsonNode stillOpen = nurse1.get("/api/v1/alerts?open=true").json();
        stillOpen.forEach(a -> assertThat(a.get("id").asLong()).isNotEqualTo(alertId));
        JsonNode emergencies = nurse1.get("/api/v1/handoffs?queue=emergency").json();
        assertThat(emergencies).hasSize(1);
        assertThat(emergencies.get(0).get("urgent").asBoolean()).isTrue();
    }

    private StaffClient staff(String name) {
        return new StaffClient(fx.httpPort()).signedIn(name, PASSWORD);
    }

    private static void user(StaffClient admin, String name, String role, String sites) {
        StaffClient.Answer a = admin.post("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"" + role + "\"],\"sites\":" + sites + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
    }

    /** The patient's text as Meta posts it: a signed webhook; waits until the engine acted on it. */
    private void receive(String text) throws Exception {
        String wamid = "wamid.IN" + UUID.randomUUID();
        ObjectNode payload = MetaWebhooks.textMessage(wamid, PHONE, fx.clock.instant());
        ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text").put("body", text);
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
    }
}
