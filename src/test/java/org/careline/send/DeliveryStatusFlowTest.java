package org.careline.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Status webhooks (sent, delivered, read, failed) for messages the engine sent: a booking over MLLP is confirmed
 * through the MetaStub (wamid.TEST1), then Meta's statuses for that wamid are posted, signed, to the webhook.
 */
class DeliveryStatusFlowTest {

    // A Tuesday at 14:00 in Detroit: outside quiet hours, so the confirmation goes at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final Instant START = NOW.plus(Duration.ofDays(3));
    private static final String WAMID = "wamid.TEST1";

    private EngineFixture fx;
    private Siu siu;

    private void bookAndConfirm(Map<String, String> env) throws Exception {
        fx = EngineFixture.start(env, NOW);
        siu = Siu.booking(START);
        Flow.accepted(fx, siu);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(confirmation().get("STATUS")));
        assertThat(confirmation()).containsEntry("WAMID", WAMID).containsEntry("DELIVERY_STATUS", null);
    }

    private void bookAndConfirm() throws Exception {
        bookAndConfirm(Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void sentDeliveredReadInOrderEndAtRead() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "sent", NOW.plusSeconds(1)));
        awaitDeliveryStatus("sent");
        post(MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2)));
        awaitDeliveryStatus("delivered");
        post(MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(3)));
        awaitDeliveryStatus("read");

        assertThat(Flow.instant(confirmation().get("DELIVERY_AT"))).isEqualTo(NOW.plusSeconds(3));
        assertThat(confirmation()).containsEntry("STATUS", "SENT");
        assertThat(events()).containsExactly("queued", "sent", "delivered", "read");
        assertThat(statuses()).containsExactlyInAnyOrder("sent", "delivered", "read");
    }

    @Test
    void statusesInReverseOrderStillEndAtRead() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(3)));
        awaitStatusRows(1);
        post(MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2)));
        awaitStatusRows(2);
        post(MetaWebhooks.status(WAMID, "sent", NOW.plusSeconds(1)));
        awaitStatusRows(3);
        settle();

        assertThat(confirmation()).containsEntry("DELIVERY_STATUS", "read");
        assertThat(Flow.instant(confirmation().get("DELIVERY_AT"))).isEqualTo(NOW.plusSeconds(3));
        assertThat(events()).containsExactly("queued", "sent", "read", "delivered");
    }

    @Test
    void reversedStatusesInOneDeliveryEndAtRead() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(3)),
                MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2)),
                MetaWebhooks.status(WAMID, "sent", NOW.plusSeconds(1)));
        awaitStatusRows(3);
        settle();
        assertThat(confirmation()).containsEntry("DELIVERY_STATUS", "read");
    }

    @Test
    void aDuplicateStatusHasOneRowAndOneEffect() throws Exception {
        bookAndConfirm();
        ObjectNode delivered = MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2));
        byte[] body = MetaWebhooks.bytes(MetaWebhooks.statusPayload(delivered));
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        // The same status again in one delivery, and in another delivery next to a new one.
        post(delivered.deepCopy(), delivered.deepCopy());
        post(delivered.deepCopy(), MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(4)));
        awaitDeliveryStatus("read");
        settle();

        assertThat(fx.count("SELECT COUNT(*) FROM message_status WHERE wamid = ? AND status = 'delivered'", WAMID))
                .isEqualTo(1);
        assertThat(events()).containsExactly("queued", "sent", "delivered", "read");
        // The identical body posted twice is stored once (issue 14, finding 6); the other two are bodies of their own.
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NOT NULL AND error IS NULL"))
                .isEqualTo(3);
    }

    @Test
    void aStatusWhoseLogRowWasLostInACrashStillLogsItsEventOnce() throws Exception {
        // What a kill -9 once left on H2: the delivered event kept, the status's message_status row gone. Meta's
        // resend of the status must not log the event a second time.
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2)));
        awaitDeliveryStatus("delivered");
        settle();
        try (java.sql.Connection c = fx.engine.database().dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM message_status WHERE wamid = ? AND status = 'delivered'")) {
            ps.setString(1, WAMID);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        post(MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(5)));
        awaitStatusRows(1);
        settle();

        assertThat(events()).containsExactly("queued", "sent", "delivered");
        assertThat(confirmation()).containsEntry("DELIVERY_STATUS", "delivered");
    }

    @Test
    void failedWithAPermanentCodeEndsTheMessageAsADeadLetter() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "sent", NOW.plusSeconds(1)),
                MetaWebhooks.failed(WAMID, 131026, "Message undeliverable", NOW.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(confirmation().get("STATUS")));

        Map<String, Object> row = confirmation();
        assertThat(row).containsEntry("ERROR_CODE", 131026).containsEntry("DELIVERY_STATUS", "failed")
                .containsEntry("ATTEMPTS", 1);
        assertThat((String) row.get("ERROR_REASON")).contains("131026", "Message undeliverable");
        assertThat(events()).containsExactly("queued", "sent", "failed", "dead");
        assertThat(fx.query("SELECT error_code, error_title FROM message_status WHERE wamid = ? AND status = 'failed'",
                WAMID).get(0)).containsEntry("ERROR_CODE", 131026).containsEntry("ERROR_TITLE", "Message undeliverable");

        fx.clock.advance(Duration.ofMinutes(5)); // any backoff would be over
        Flow.awaitIdle(fx);
        assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(1);
    }

    @Test
    void failedWithARetryableCodeIsSentAgainAfterTheBackoff() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.failed(WAMID, 131000, "Something went wrong", NOW.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "PENDING".equals(confirmation().get("STATUS")));
        Map<String, Object> retrying = confirmation();
        assertThat(retrying).containsEntry("ERROR_CODE", 131000).containsEntry("ATTEMPTS", 1)
                .containsEntry("DELIVERY_STATUS", "failed");
        assertThat(events()).containsExactly("queued", "sent", "failed", "retry");
        assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(1);

        fx.clock.advance(Duration.ofSeconds(5)); // past the backoff (base 100 ms in the fixture)
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(confirmation().get("STATUS")));
        List<org.careline.support.MetaStub.Received> sends = Flow.requestsFor(fx, "appointment_confirmation");
        assertThat(sends).hasSize(2);
        assertThat(sends.get(1).json()).isEqualTo(sends.get(0).json());
        Map<String, Object> resent = confirmation();
        assertThat(resent).containsEntry("WAMID", "wamid.TEST2").containsEntry("ATTEMPTS", 2)
                .containsEntry("DELIVERY_STATUS", null).containsEntry("ERROR_CODE", null);

        // The new wamid's statuses apply; a late one of the old wamid no longer touches the row.
        post(MetaWebhooks.status("wamid.TEST2", "delivered", NOW.plusSeconds(10)),
                MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(11)));
        awaitDeliveryStatus("delivered");
        settle();
        assertThat(confirmation()).containsEntry("DELIVERY_STATUS", "delivered");
        assertThat(events()).containsExactly("queued", "sent", "failed", "retry", "sent", "delivered");
    }

    @Test
    void failedWithARetryableCodeOnTheLastAttemptIsADeadLetter() throws Exception {
        bookAndConfirm(Map.of("CARELINE_MAX_SEND_ATTEMPTS", "1"));
        post(MetaWebhooks.failed(WAMID, 131000, "Something went wrong", NOW.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(confirmation().get("STATUS")));
        assertThat(confirmation()).containsEntry("ERROR_CODE", 131000);
        assertThat((String) confirmation().get("ERROR_REASON")).startsWith("retries exhausted after 1 attempts");
        assertThat(events()).containsExactly("queued", "sent", "failed", "dead");
    }

    @Test
    void failedWithAnExpiredTokenCodePausesSendingAndRequeuesTheMessage() throws Exception {
        bookAndConfirm();
        assertThat(health()).contains("\"sending\":\"active\"");
        post(MetaWebhooks.failed(WAMID, 190, "Access token has expired", NOW.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> health().contains("\"sending\":\"paused\""));

        await().atMost(Duration.ofSeconds(5)).until(() -> "PENDING".equals(confirmation().get("STATUS")));
        assertThat(confirmation()).containsEntry("ERROR_CODE", 190).containsEntry("ATTEMPTS", 1);
        assertThat(events()).containsExactly("queued", "sent", "failed", "released");
        List<Map<String, Object>> alerts = fx.query("SELECT code, cleared_at FROM alert WHERE kind = 'sending-paused'");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0)).containsEntry("CODE", 190).containsEntry("CLEARED_AT", null);
        // Nothing goes out while paused: not the requeued confirmation, not a new booking's.
        Flow.accepted(fx, Siu.booking(START.plus(Duration.ofHours(1))));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.meta.received().size() == 1);
    }

    @Test
    void aStatusForAWamidWeNeverSentIsRecordedAndOtherwiseIgnored() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status("wamid.SOMEONE-ELSES", "delivered", NOW.plusSeconds(2)),
                MetaWebhooks.failed("wamid.SOMEONE-ELSES", 131026, "Message undeliverable", NOW.plusSeconds(3)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM message_status WHERE wamid = 'wamid.SOMEONE-ELSES'") == 2);
        settle();
        assertThat(confirmation()).containsEntry("STATUS", "SENT").containsEntry("DELIVERY_STATUS", null);
        assertThat(events()).containsExactly("queued", "sent");
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE error IS NOT NULL")).isZero();
    }

    @Test
    void aReadStatusProcessedBeforeTheSendIsRecordedIsAppliedWhenItIs() throws Exception {
        // Meta's webhook can beat our own commit of the send: the status waits in message_status until then.
        fx = EngineFixture.start(Map.of(), NOW);
        post(MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(3)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM message_status WHERE wamid = ?", WAMID) == 1);
        siu = Siu.booking(START);
        Flow.accepted(fx, siu);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(confirmation().get("STATUS")));
        assertThat(confirmation()).containsEntry("WAMID", WAMID).containsEntry("DELIVERY_STATUS", "read");
    }

    @Test
    void aFailureAfterDeliveryIsRecordedButNotSentAgainAndFailedStaysFailed() throws Exception {
        bookAndConfirm();
        post(MetaWebhooks.status(WAMID, "delivered", NOW.plusSeconds(2)));
        awaitDeliveryStatus("delivered");
        post(MetaWebhooks.failed(WAMID, 131000, "Something went wrong", NOW.plusSeconds(3)));
        awaitDeliveryStatus("failed");
        post(MetaWebhooks.status(WAMID, "read", NOW.plusSeconds(4)));
        awaitStatusRows(3);
        settle();

        assertThat(confirmation()).containsEntry("STATUS", "SENT").containsEntry("DELIVERY_STATUS", "failed")
                .containsEntry("ERROR_CODE", 131000);
        assertThat(events()).containsExactly("queued", "sent", "delivered", "failed", "read");
        fx.clock.advance(Duration.ofMinutes(5));
        Flow.awaitIdle(fx);
        assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(1);
    }

    // --- helpers

    private void post(ObjectNode... statuses) {
        assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(statuses)).status()).isEqualTo(200);
    }

    private Map<String, Object> confirmation() throws SQLException {
        return Flow.row(fx, siu.fillerId(), "confirmation");
    }

    private List<String> events() throws SQLException {
        long id = ((Number) confirmation().get("ID")).longValue();
        return fx.query("SELECT event FROM message_event WHERE outbox_id = ? ORDER BY id", id).stream()
                .map(r -> (String) r.get("EVENT")).toList();
    }

    private List<String> statuses() throws SQLException {
        return fx.query("SELECT status FROM message_status WHERE wamid = ?", WAMID).stream()
                .map(r -> (String) r.get("STATUS")).toList();
    }

    private void awaitDeliveryStatus(String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> status.equals(confirmation().get("DELIVERY_STATUS")));
    }

    private void awaitStatusRows(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM message_status WHERE wamid = ?", WAMID) == n);
    }

    /** Every stored delivery processed. */
    private void settle() {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL") == 0);
    }

    /** The details staff see at GET /api/v1/health, as JSON (GET /health tells strangers only UP or DOWN). */
    private String health() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fx.engine.camelContext()
                .getRegistry().lookupByNameAndType("health", org.careline.health.HealthCheck.class).report());
    }
}
