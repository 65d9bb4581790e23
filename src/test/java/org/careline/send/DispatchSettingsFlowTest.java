package org.careline.send;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dispatch behaviour that depends on the engine's settings: each test starts its own engine. */
class DispatchSettingsFlowTest {

    // A Tuesday at 14:00 in Detroit: outside quiet hours, so confirmations are due at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final Instant START = NOW.plus(Duration.ofDays(3));

    private EngineFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void retryableErrorUntilMaxAttemptsDeadLettersTheMessage() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_MAX_SEND_ATTEMPTS", "2"), NOW);
        fx.meta.replyNext(503, MetaStub.graphError(2, "Service temporarily unavailable"));
        fx.meta.replyNext(500, MetaStub.graphError(131000, "Something went wrong"));
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        long id = ((Number) Flow.row(fx, siu.fillerId(), "confirmation").get("ID")).longValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> events(id).contains("retry"));
        fx.clock.advance(Duration.ofSeconds(5)); // past the backoff (base 100 ms in the fixture)
        await().atMost(Duration.ofSeconds(10)).until(() -> events(id).contains("dead"));

        Map<String, Object> dead = Flow.row(fx, siu.fillerId(), "confirmation");
        assertThat(dead).containsEntry("STATUS", "DEAD").containsEntry("ATTEMPTS", 2)
                .containsEntry("ERROR_CODE", 131000);
        assertThat((String) dead.get("ERROR_REASON")).contains("retries exhausted");
        assertThat(events(id)).containsExactly("queued", "retry", "dead");
        fx.clock.advance(Duration.ofMinutes(5));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(2);
    }

    @Test
    void aCloudApiThatDoesNotAnswerInTimeIsRetried() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_SEND_TIMEOUT_MS", "300"), NOW);
        fx.meta.delayNext(1500);
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        long id = ((Number) Flow.row(fx, siu.fillerId(), "confirmation").get("ID")).longValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> events(id).contains("retry"));
        Map<String, Object> retrying = Flow.row(fx, siu.fillerId(), "confirmation");
        assertThat((String) retrying.get("ERROR_REASON")).contains("transport");
        fx.clock.advance(Duration.ofSeconds(5)); // past the backoff
        await().atMost(Duration.ofSeconds(10)).until(() -> events(id).contains("sent"));
        assertThat(Flow.row(fx, siu.fillerId(), "confirmation")).containsEntry("STATUS", "SENT")
                .containsEntry("ATTEMPTS", 2);
        assertThat(fx.meta.received()).hasSize(2);
    }

    @Test
    void sendRateCapHoldsAtTheReceivingEnd() throws Exception {
        int perSecond = 5;
        int messages = 25;
        fx = EngineFixture.start(Map.of("CARELINE_SEND_RATE_PER_SECOND", String.valueOf(perSecond)), NOW);
        List<String> bookings = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            bookings.add(Siu.booking(START.plus(Duration.ofMinutes(i))).build());
        }
        try (MllpClient client = fx.mllp()) {
            assertThat(client.pipeline(bookings)).allSatisfy(ack -> assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AA"));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() >= messages);
        Flow.awaitIdle(fx);
        List<Instant> at = fx.meta.received().stream().map(MetaStub.Received::at).sorted().toList();
        assertThat(at).hasSize(messages);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'SENT'"))
                .isEqualTo(messages);
        for (int i = 0; i < at.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < at.size() && Duration.between(at.get(i), at.get(j)).compareTo(Duration.ofSeconds(1)) < 0; j++) {
                inWindow++;
            }
            assertThat(inWindow).as("requests within 1 s from %s", at.get(i)).isLessThanOrEqualTo(perSecond);
        }
    }

    @Test
    void withoutAnAccessTokenTheBuiltInSandboxAnswers() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("WHATSAPP_ACCESS_TOKEN", null); // a null value unsets the fixture's default
        fx = EngineFixture.start(env, NOW);
        assertThat(fx.settings.sandbox()).isTrue();
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SENT".equals(Flow.row(fx, siu.fillerId(), "confirmation").get("STATUS")));
        assertThat((String) Flow.row(fx, siu.fillerId(), "confirmation").get("WAMID")).startsWith("wamid.SANDBOX");
        assertThat(fx.meta.received()).isEmpty();
    }

    private List<String> events(long outboxId) throws Exception {
        return fx.query("SELECT event FROM message_event WHERE outbox_id = ? ORDER BY id", outboxId).stream()
                .map(r -> (String) r.get("EVENT")).toList();
    }

    @Test
    void aBookingsConfirmationGoesOutWithoutWaitingForTheDispatchTimer() throws Exception {
        // The timer would not look again for an hour: only the nudge after the SIU's commit can send it.
        fx = EngineFixture.start(Map.of("CARELINE_DISPATCH_INTERVAL_MS", "3600000"), NOW);
        Flow.awaitIdle(fx); // the timer's first round, at start, found nothing
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);
        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_confirmation").size() == 1);
        assertThat(Flow.row(fx, siu.fillerId(), "confirmation")).containsEntry("STATUS", "SENT");
    }

    @Test
    void aLongQueueFlowsWithMoreSendsUnderWayThanSenders() throws Exception {
        // Two senders, a stand-in answering after 200 ms: twelve bookings still all go out, none twice.
        fx = EngineFixture.start(Map.of("CARELINE_SEND_PARALLELISM", "2", "CARELINE_DISPATCH_INTERVAL_MS", "3600000"),
                NOW);
        for (int i = 0; i < 12; i++) {
            fx.meta.delayNext(200);
        }
        for (int i = 0; i < 12; i++) {
            Flow.accepted(fx, Siu.booking(START.plus(Duration.ofMinutes(i))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE label = 'confirmation' AND status = 'SENT'") == 12);
        assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(12);
    }
}
