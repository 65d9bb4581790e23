package org.careline.triage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.careline.triage.TriageDesk.Claimed;
import org.careline.triage.TriageDesk.Queued;
import org.careline.triage.TriageDesk.Resolved;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Triage through the running engine: a patient's signed webhook lands in the right queue and is acknowledged at the
 * Cloud API stand-in; an emergency raises its alert at once and escalates when nobody claims it; an item past its SLA
 * raises one alert; staff work an item through the desk the API calls, and the answer reaches the stand-in.
 */
class TriageFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String PHONE = "+16082719000";

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_TRIAGE_INTERVAL_MS", "100"), NOW);
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1); // the confirmation
        fx.meta.clear();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aRefillRequestLandsInPharmacyAndIsAcknowledgedOnce() throws Exception {
        receive("I need a refill of my prescription", NOW);
        assertThat(awaitTexts(1)).containsExactly(
                "We have received your refill request; the pharmacy team will answer within 2 hours.");
        Map<String, Object> item = fx.query("SELECT id, queue, site_code, status, reason, urgent, due_at, escalate_at "
                + "FROM staff_handoff").get(0);
        assertThat(item).containsEntry("QUEUE", "pharmacy").containsEntry("SITE_CODE", "gh-clinic")
                .containsEntry("STATUS", "OPEN").containsEntry("REASON", "KEYWORD").containsEntry("URGENT", false)
                .containsEntry("ESCALATE_AT", null);
        long id = ((Number) item.get("ID")).longValue();

        // The patient adds to it: the same item, and no second acknowledgement.
        receive("also my inhaler medication please", NOW.plusSeconds(30));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM staff_handoff")).isEqualTo(1);
        assertThat(fx.query("SELECT kind FROM handoff_event WHERE handoff_id = ? ORDER BY id", id))
                .extracting(r -> r.get("KIND")).containsExactly("CREATED", "ACKNOWLEDGED", "MESSAGE");
        assertThat(fx.engine.triageDesk().get(id, NOW).orElseThrow().messages()).extracting(TriageDesk.Message::text)
                .containsExactly("I need a refill of my prescription", "also my inhaler medication please");
    }

    @Test
    void staffClaimAnswerAndResolveAndTheAnswerReachesThePatient() throws Exception {
        receive("Are my test results back?", NOW);
        assertThat(awaitTexts(1).get(0)).startsWith("We have received your question about your results");
        long id = fx.count("SELECT id FROM staff_handoff WHERE queue = 'results'");
        fx.meta.clear();

        TriageDesk desk = fx.engine.triageDesk();
        assertThat(desk.claim(id, "nurse.jane", fx.clock.instant())).isEqualTo(new Claimed());
        assertThat(desk.claim(id, "nurse.bob", fx.clock.instant())).isEqualTo(new TriageDesk.ClaimedByOther("nurse.jane"));
        assertThat(desk.reply(id, "nurse.jane", "Yes: they are in the portal. Call us with any question.",
                fx.clock.instant())).isInstanceOf(Queued.class);
        assertThat(awaitTexts(1)).containsExactly("Yes: they are in the portal. Call us with any question.");
        assertThat(desk.resolve(id, "nurse.jane", fx.clock.instant())).isEqualTo(new Resolved());
        assertThat(fx.query("SELECT status, resolved_by, first_answer_at FROM staff_handoff WHERE id = ?", id).get(0))
                .containsEntry("STATUS", "RESOLVED").containsEntry("RESOLVED_BY", "nurse.jane")
                .satisfies(r -> assertThat(r.get("FIRST_ANSWER_AT")).isNotNull());
    }

    @Test
    void anEmergencyRaisesAnAlertAtOnceAndEscalatesOnceWhenNobodyClaimsIt() throws Exception {
        receive("I have chest pain", NOW);
        assertThat(awaitTexts(1).get(0)).contains("call 911");
        Map<String, Object> item = fx.query("SELECT id, queue, urgent, reason FROM staff_handoff").get(0);
        assertThat(item).containsEntry("QUEUE", "emergency").containsEntry("URGENT", true)
                .containsEntry("REASON", "EMERGENCY");
        long id = ((Number) item.get("ID")).longValue();
        assertThat(fx.query("SELECT kind, severity, site_code, subject, detail FROM alert")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("KIND", "emergency").containsEntry("SEVERITY", "critical")
                        .containsEntry("SITE_CODE", "gh-clinic").containsEntry("SUBJECT", "handoff:" + id)
                        .containsEntry("DETAIL", "handoff=" + id + " queue=emergency"));

        fx.clock.advance(Duration.ofMinutes(9));
        Thread.sleep(500); // several rounds of the watch: not due yet
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'emergency_unclaimed'")).isZero();

        fx.clock.advance(Duration.ofMinutes(2)); // past the default escalateAfter (10m)
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'emergency_unclaimed'") == 1);
        Thread.sleep(500);
        assertThat(fx.query("SELECT severity, subject FROM alert WHERE kind = 'emergency_unclaimed'")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("SEVERITY", "critical")
                        .containsEntry("SUBJECT", "handoff:" + id));
        assertThat(fx.count("SELECT COUNT(*) FROM handoff_event WHERE handoff_id = ? AND kind = 'ESCALATED'", id))
                .isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'sla_breach'")).isZero();
    }

    @Test
    void anItemPastItsSlaRaisesOneBreachAlert() throws Exception {
        receive("5", NOW); // the menu digit of pharmacy (SLA 2h)
        assertThat(awaitTexts(1).get(0)).startsWith("We have received your refill request");
        long id = fx.count("SELECT id FROM staff_handoff WHERE queue = 'pharmacy' AND reason = 'MENU'");
        fx.engine.triageDesk().claim(id, "pharm.ann", fx.clock.instant()); // claimed, but not answered in time
        fx.clock.advance(Duration.ofHours(2).plusMinutes(1));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'sla_breach'") == 1);
        Thread.sleep(500);
        assertThat(fx.query("SELECT severity, site_code, subject FROM alert WHERE kind = 'sla_breach'"))
                .singleElement().satisfies(a -> assertThat(a).containsEntry("SEVERITY", "warning")
                        .containsEntry("SITE_CODE", "gh-clinic").containsEntry("SUBJECT", "handoff:" + id));
        assertThat(fx.engine.triageDesk().queues(java.util.Set.of("gh-clinic"), fx.clock.instant()))
                .contains(new TriageDesk.QueueSummary("gh-clinic", "pharmacy", 0, 1, 1, 120));
    }

    /** The patient's text as Meta posts it: a signed webhook to the real endpoint; waits until it was acted on. */
    private void receive(String text, Instant sentAt) throws Exception {
        String wamid = "wamid.IN" + UUID.randomUUID();
        ObjectNode payload = MetaWebhooks.textMessage(wamid, PHONE.substring(1), sentAt);
        ObjectNode message = (ObjectNode) MetaWebhooks.messages(payload).get(0);
        message.putObject("text").put("body", text);
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
    }

    /** The text bodies the stand-in received, once there are {@code n}. */
    private List<String> awaitTexts(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() >= n);
        Flow.awaitIdle(fx);
        List<MetaStub.Received> received = fx.meta.received();
        assertThat(received).hasSize(n);
        return received.stream().map(r -> r.json().path("text").path("body").asText()).toList();
    }
}
