package org.careline.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.alerts.rules.AlertRuleWatch;
import org.careline.alerts.rules.AlertRulesWiring;
import org.careline.send.SendingPause;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules of mappings/alerts.yaml in the running engine, each raised and cleared: the engine's clock is
 * moved and the rules' look ({@code alertRuleWatch.evaluate}, what the one-minute timer calls) is run by the test.
 * Thresholds are small here so a few messages make a pattern.
 */
class AlertRulesFlowTest {

    // A Tuesday at 14:00 in Detroit: within gh-clinic's working hours (Mon-Fri 07:00-19:00), outside quiet hours.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit"))
            .toInstant();
    private static final String SECRET = "rules-flow-webhook-secret";

    private AlertReceiver receiver;
    private EngineFixture fx;
    private AlertRuleWatch watch;

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
                routes: {}
                """.formatted(receiver.url()));
        Files.writeString(mappings.resolve("alerts.yaml"), """
                rules:
                  send_failure_rate: { threshold: 40, minSends: 3, channels: [oncall] }
                  dead_letters: { threshold: 2 }
                  queue_age: { queues: { outbox: 15m } }
                  sending_paused: { threshold: 10m }
                  webhooks_stopped: { window: 30m, minSent: 2 }
                  feed_silent: { after: 60m }
                  keyword_rate: { minCount: 2, factor: 2, watch: { pain: { words: [pain] } } }
                """);
        fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString(),
                "CARELINE_ALERT_WEBHOOK_SECRET", SECRET, "CARELINE_ALERT_INTERVAL_MS", "100"), NOW);
        watch = fx.engine.camelContext().getRegistry().lookupByNameAndType(AlertRulesWiring.BEAN,
                AlertRuleWatch.class);
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
    void failingSendsRaiseTheFailureRateToItsChannelAndDeadLettersThenSuccessesClearThemAndARelapseIsNews()
            throws Exception {
        book(3, true);
        watch.evaluate();
        watch.evaluate(); // raised once
        assertThat(alerts("rule:send_failure_rate")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("SUBJECT", "sends@gh-clinic").containsEntry("SITE_CODE", "gh-clinic")
                    .containsEntry("SEVERITY", "warning").containsEntry("CLEARED_AT", null);
            assertThat(a.get("DETAIL").toString()).startsWith("3 of 3 sends failed in 15 min").doesNotContain("DOE");
        });
        assertThat(alerts("rule:dead_letters")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("SUBJECT", "dead-letters").containsEntry("CLEARED_AT", null));
        // The rule names its channel: its alert reaches the webhook although notifications.yaml routes nothing.
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.accepted().get(0).body().get("kind").asText()).isEqualTo("rule:send_failure_rate");
        assertThat(receiver.badSignatures()).isZero();

        fx.clock.advance(Duration.ofMinutes(61));
        book(3, false);
        watch.evaluate();
        assertThat(alerts("rule:send_failure_rate")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
        assertThat(alerts("rule:dead_letters")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());

        book(3, true); // 3 of 6 in the window: 50 % > 40 %
        watch.evaluate();
        assertThat(alerts("rule:send_failure_rate")).hasSize(2).last()
                .satisfies(a -> assertThat(a).containsEntry("CLEARED_AT", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 2);
    }

    @Test
    void aPauseThatLastsRaisesSendingPausedAndTheWaitingOutboxQueueAgeUntilSendingResumes() throws Exception {
        fx.meta.replyNext(401, MetaStub.graphError(190, "Error validating access token: Session has expired"));
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'sending-paused'") == 1);
        watch.evaluate();
        assertThat(alerts("rule:sending_paused")).isEmpty(); // paused, but not for 10 min yet
        assertThat(alerts("rule:queue_age")).isEmpty();

        fx.clock.advance(Duration.ofMinutes(16));
        watch.evaluate();
        assertThat(alerts("rule:sending_paused")).singleElement().satisfies(a -> assertThat(a)
                .containsEntry("SUBJECT", "cloud-api").containsEntry("SEVERITY", "critical"));
        assertThat(alerts("rule:queue_age")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("SUBJECT", "queue:outbox");
            assertThat(a.get("DETAIL").toString()).startsWith("oldest outbox item waiting 16 min");
        });

        fx.engine.camelContext().getRegistry().lookupByNameAndType("sendingPause", SendingPause.class).resume();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'SENT'") == 1);
        watch.evaluate();
        assertThat(alerts("rule:sending_paused")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
        assertThat(alerts("rule:queue_age")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
    }

    @Test
    void sendsWithoutAnyWebhookRaiseWebhooksStoppedUntilOneArrives() throws Exception {
        fx.clock.advance(Duration.ofMinutes(31)); // the engine has now watched for longer than the window
        book(2, false);
        watch.evaluate();
        assertThat(alerts("rule:webhooks_stopped")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("SUBJECT", "webhooks").containsEntry("CLEARED_AT", null);
            assertThat(a.get("DETAIL").toString()).contains("while 2 messages were sent");
        });

        String wamid = fx.query("SELECT wamid FROM outbox WHERE status = 'SENT'").get(0).get("WAMID").toString();
        assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(
                MetaWebhooks.status(wamid, "delivered", fx.clock.instant()))).status()).isEqualTo(200);
        watch.evaluate();
        assertThat(alerts("rule:webhooks_stopped")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
    }

    @Test
    void aSiteWithoutSiuForAnHourOfItsWorkingDayIsSilentUntilTheNextSiu() throws Exception {
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId());
        watch.evaluate();
        assertThat(alerts("rule:feed_silent")).isEmpty();

        fx.clock.advance(Duration.ofMinutes(61));
        watch.evaluate();
        watch.evaluate();
        assertThat(alerts("rule:feed_silent")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("SUBJECT", "site:gh-clinic").containsEntry("SITE_CODE", "gh-clinic")
                    .containsEntry("CLEARED_AT", null);
            assertThat(a.get("DETAIL").toString()).startsWith("no SIU for over 60 min within working hours");
        });

        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId());
        watch.evaluate();
        assertThat(alerts("rule:feed_silent")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
    }

    @Test
    void messagesSayingPainAboveTheirUsualRateRaiseKeywordRateWhichClearsWhenTheyStop() throws Exception {
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        for (int i = 0; i < 2; i++) {
            ObjectNode payload = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000", fx.clock.instant());
            ((ObjectNode) payload.at("/entry/0/changes/0/value/messages/0/text")).put("body",
                    "My knee pain is worse");
            assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM reply_word_match WHERE watch = 'pain'") == 2);
        // Counted with the site of the patient's appointment; no text, no phone number in the count table.
        assertThat(fx.query("SELECT * FROM reply_word_match")).allSatisfy(r ->
                assertThat(r).containsOnlyKeys("ID", "MATCHED_AT", "SITE_CODE", "WATCH")
                        .containsEntry("SITE_CODE", "gh-clinic"));
        watch.evaluate();
        assertThat(alerts("rule:keyword_rate")).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("SUBJECT", "pain@gh-clinic").containsEntry("CLEARED_AT", null);
            assertThat(a.get("DETAIL").toString()).startsWith("pain: 2 in the last 60 min").doesNotContain("knee");
        });

        fx.clock.advance(Duration.ofMinutes(61));
        watch.evaluate();
        assertThat(alerts("rule:keyword_rate")).singleElement()
                .satisfies(a -> assertThat(a.get("CLEARED_AT")).isNotNull());
    }

    /** {@code n} bookings at gh-clinic whose confirmations the Cloud API refuses for good, or accepts. */
    private void book(int n, boolean refused) throws Exception {
        long done = fx.count("SELECT COUNT(*) FROM outbox WHERE status IN ('SENT', 'DEAD')");
        for (int i = 0; i < n; i++) {
            if (refused) {
                fx.meta.replyNext(400, MetaStub.graphError(131026, "Message undeliverable"));
            }
            Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId());
            long expected = done + i + 1;
            // One at a time: each refusal is queued for the send it belongs to.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    fx.count("SELECT COUNT(*) FROM outbox WHERE status IN ('SENT', 'DEAD')") == expected);
        }
    }

    private List<Map<String, Object>> alerts(String kind) throws Exception {
        return fx.query("SELECT subject, site_code, severity, detail, cleared_at FROM alert WHERE kind = ? "
                + "ORDER BY id", kind);
    }
}
