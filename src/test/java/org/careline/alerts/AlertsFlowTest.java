package org.careline.alerts;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.Siu;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
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
 * The running engine: a message the Cloud API refuses for good becomes a dead letter, its dead_letter alert
 * reaches the webhook receiver and the SMTP server once each, shows in the alert desk with its deliveries, and
 * leaves the open list once acknowledged.
 */
class AlertsFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit"))
            .toInstant();
    private static final String SECRET = "flow-test-webhook-secret";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private AlertReceiver receiver;
    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        receiver = new AlertReceiver(SECRET, EngineFixture.freePort());
        Path mappings = TestMappings.copy();
        Files.writeString(mappings.resolve("notifications.yaml"), """
                channels:
                  oncall:
                    type: webhook
                    url: %s
                    secretEnv: CARELINE_ALERT_WEBHOOK_SECRET
                  desk:
                    type: email
                    to: [desk@gh-clinic.example.org]
                routes:
                  default:
                    warning: [oncall, desk]
                """.formatted(receiver.url()));
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        env.put("CARELINE_ALERT_WEBHOOK_SECRET", SECRET);
        env.put("CARELINE_SMTP_HOST", "127.0.0.1");
        env.put("CARELINE_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("CARELINE_SMTP_STARTTLS", "false");
        env.put("CARELINE_SMTP_FROM", "careline@gh-clinic.example.org");
        env.put("CARELINE_ALERT_INTERVAL_MS", "100");
        env.put("CARELINE_ALERT_LINK_BASE", "https://careline.gh-clinic.example.org");
        fx = EngineFixture.start(env, NOW);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            fx.close();
        } finally {
            receiver.close();
        }
    }

    @Test
    void aDeadLetterReachesTheWebhookAndTheMailboxOnceEachAndIsAcknowledgedOnce() throws Exception {
        fx.meta.replyNext(400, MetaStub.graphError(131026, "Message undeliverable"));
        Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3)));
        Flow.accepted(fx, siu);

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.accepted().size() == 1
                && smtp.getReceivedMessages().length == 1);
        long outboxId = ((Number) Flow.row(fx, siu.fillerId(), "confirmation").get("ID")).longValue();
        Map<String, Object> alert = fx.query("SELECT id, kind, severity, site_code, subject, detail FROM alert "
                + "WHERE kind = 'dead_letter'").get(0);
        long alertId = ((Number) alert.get("ID")).longValue();
        assertThat(alert).containsEntry("SEVERITY", "warning").containsEntry("SUBJECT", "outbox:" + outboxId);
        assertThat((String) alert.get("DETAIL")).startsWith("outbox=" + outboxId + " appointment=")
                .endsWith("attempts=1 error=131026");

        AlertReceiver.Received hook = receiver.accepted().get(0);
        assertThat(hook.alertIdHeader()).isEqualTo(String.valueOf(alertId));
        assertThat(hook.body().get("kind").asText()).isEqualTo("dead_letter");
        assertThat(hook.body().get("link").asText())
                .isEqualTo("https://careline.gh-clinic.example.org/console/#/alerts/" + alertId);
        assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[Careline WARNING] dead_letter")
                .endsWith("(outbox:" + outboxId + ")");
        assertThat(receiver.badSignatures()).isZero();

        AlertDesk desk = fx.engine.camelContext().getRegistry().lookupByNameAndType("alertDesk", AlertDesk.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> desk.list(null, true, 10).get(0).deliveries().stream()
                .allMatch(d -> d.status().equals("SENT")));
        AlertView view = desk.list(null, true, 10).get(0);
        assertThat(view.id()).isEqualTo(alertId);
        assertThat(view.deliveries()).extracting(AlertView.Delivery::channel).containsExactly("oncall", "desk");

        Instant ackAt = NOW.plus(Duration.ofMinutes(3));
        assertThat(desk.ack(alertId, "analyst.kim", ackAt)).isEqualTo(new AlertAck.Acked(alertId, "analyst.kim", ackAt));
        assertThat(desk.ack(alertId, "analyst.lee", ackAt.plusSeconds(1)))
                .isEqualTo(new AlertAck.AlreadyAcked(alertId, "analyst.kim", ackAt));
        assertThat(desk.ack(alertId + 1000, "analyst.lee", ackAt)).isEqualTo(new AlertAck.NotFound(alertId + 1000));
        assertThat(desk.list(null, true, 10)).isEmpty();
        assertThat(desk.list(null, false, 10)).extracting(AlertView::ackedBy).containsExactly("analyst.kim");

        Thread.sleep(500); // a few more deliverer rounds
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(List.of(receiver.requests())).containsExactly(1);
    }
}
