package org.careline.alerts;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.careline.config.Settings;
import org.careline.config.SmtpSettings;
import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.store.AlertDeliveries;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.RetryPolicy;
import org.careline.support.EngineFixture;
import org.careline.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alert deliveries through real channels: a local SMTP server (GreenMail) and a local HTTP receiver that checks
 * the HMAC signature, on the engine's database (H2), with the deliverer as the alerts route calls it.
 */
class AlertDeliveryTest {

    private static final String SECRET = "receiver-shared-secret";
    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private Database db;
    private AlertReceiver receiver;
    private MutableClock clock;
    private AlertLog alerts;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Settings.from(Map.of("CARELINE_DB_URL", "jdbc:h2:file:"
                + Files.createTempDirectory("careline-alerts").resolve("db") + ";WRITE_DELAY=0")).database());
        receiver = new AlertReceiver(SECRET, EngineFixture.freePort());
        clock = new MutableClock(NOW);
        alerts = new AlertLog((site, severity) -> List.of("oncall", "desk"));
    }

    @AfterEach
    void close() {
        receiver.close();
        db.close();
    }

    private AlertDeliverer deliverer() {
        Map<String, AlertChannel> channels = new LinkedHashMap<>();
        channels.put("oncall", new WebhookAlertChannel("oncall", receiver.url(), SECRET, WebhookAlertChannel.client()));
        channels.put("desk", new MailAlertChannel("desk", List.of("desk@gh-clinic.example.org"), new SmtpSettings(
                "127.0.0.1", smtp.getSmtp().getPort(), null, null, "careline@example.org", false)));
        // No jitter: the retry times below are exact.
        RetryPolicy retries = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(15), Integer.MAX_VALUE, 0);
        return new AlertDeliverer(db, new AlertDeliveries(), channels, Map.of(), retries, Duration.ofHours(24),
                "https://careline.example.org", clock);
    }

    private long raise(String kind, String subject) {
        return db.inTransaction(c -> alerts.raise(c, new AlertRaise(kind, AlertSeverity.CRITICAL, "gh-clinic", subject,
                null, "handoff=12"), clock.instant()));
    }

    private record Row(String status, int attempts, String lastError, Instant sentAt) {
    }

    private Row delivery(long alertId, String channel) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, attempts, last_error, sent_at "
                    + "FROM alert_delivery WHERE alert_id = ? AND channel = ?")) {
                ps.setLong(1, alertId);
                ps.setString(2, channel);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    java.time.OffsetDateTime sent = rs.getObject(4, java.time.OffsetDateTime.class);
                    return new Row(rs.getString(1), rs.getInt(2), rs.getString(3),
                            sent == null ? null : sent.toInstant());
                }
            }
        });
    }

    @Test
    void anAlertReachesTheWebhookAndTheMailboxOnceEach() throws Exception {
        long id = raise("emergency", "handoff:12");
        AlertDeliverer deliverer = deliverer();

        assertThat(deliverer.deliverDue()).isEqualTo(2);
        clock.advance(Duration.ofHours(1));
        assertThat(deliverer.deliverDue()).isZero();

        assertThat(receiver.badSignatures()).isZero();
        assertThat(receiver.accepted()).hasSize(1);
        AlertReceiver.Received hook = receiver.accepted().get(0);
        assertThat(hook.alertIdHeader()).isEqualTo(String.valueOf(id));
        assertThat(hook.body().get("id").asLong()).isEqualTo(id);
        assertThat(hook.body().get("kind").asText()).isEqualTo("emergency");
        assertThat(hook.body().get("severity").asText()).isEqualTo("critical");
        assertThat(hook.body().get("site").asText()).isEqualTo("gh-clinic");
        assertThat(hook.body().get("subject").asText()).isEqualTo("handoff:12");
        assertThat(hook.body().get("detail").asText()).isEqualTo("handoff=12");
        assertThat(hook.body().get("raisedAt").asText()).isEqualTo("2030-03-05T15:00:00Z");
        assertThat(hook.body().get("link").asText())
                .isEqualTo("https://careline.example.org/console/#/alerts/" + id);

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("[Careline CRITICAL] emergency at gh-clinic (handoff:12)");
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("desk@gh-clinic.example.org");
        assertThat(((String) mails[0].getContent())).contains("handoff=12")
                .contains("https://careline.example.org/console/#/alerts/" + id);

        assertThat(delivery(id, "oncall")).isEqualTo(new Row("SENT", 1, null, NOW));
        assertThat(delivery(id, "desk")).isEqualTo(new Row("SENT", 1, null, NOW));
    }

    @Test
    void aReceiverAnswering503IsRetriedAndGetsTheAlertOnceWhenItIsBack() throws Exception {
        receiver.answer(503);
        long id = raise("emergency", "handoff:13");
        AlertDeliverer deliverer = deliverer();

        deliverer.deliverDue();
        assertThat(delivery(id, "oncall")).isEqualTo(new Row("PENDING", 1, "HTTP 503: {}", null));
        assertThat(delivery(id, "desk").status()).isEqualTo("SENT");
        deliverer.deliverDue(); // not due again before its backoff
        assertThat(receiver.requests()).isEqualTo(1);

        receiver.answer(200);
        clock.advance(Duration.ofSeconds(30));
        deliverer.deliverDue();
        clock.advance(Duration.ofHours(1));
        deliverer.deliverDue();

        assertThat(receiver.accepted()).extracting(AlertReceiver.Received::alertIdHeader)
                .containsExactly(String.valueOf(id));
        assertThat(delivery(id, "oncall").status()).isEqualTo("SENT");
        assertThat(delivery(id, "oncall").attempts()).isEqualTo(2);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aReceiverNotListeningIsRetriedWithBackoffAndGetsTheAlertOnceWhenItListensAgain() throws Exception {
        receiver.stop();
        long id = raise("emergency", "handoff:14");
        AlertDeliverer deliverer = deliverer();

        deliverer.deliverDue();
        assertThat(delivery(id, "oncall").status()).isEqualTo("PENDING");
        assertThat(delivery(id, "oncall").lastError()).startsWith("ConnectException");
        clock.advance(Duration.ofSeconds(30));
        deliverer.deliverDue();
        assertThat(delivery(id, "oncall").attempts()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(59)); // the second retry waits 60 s
        deliverer.deliverDue();
        assertThat(delivery(id, "oncall").attempts()).isEqualTo(2);

        receiver.start();
        clock.advance(Duration.ofSeconds(1));
        deliverer.deliverDue();
        clock.advance(Duration.ofHours(1));
        deliverer.deliverDue();

        assertThat(receiver.accepted()).hasSize(1);
        assertThat(delivery(id, "oncall")).isEqualTo(new Row("SENT", 3, null, clock.instant().minus(Duration.ofHours(1))));
    }

    @Test
    void aChannelThatFailsIsTriedOncePerRoundNotOncePerAlert() throws Exception {
        receiver.answer(503);
        List<Long> ids = List.of(raise("dead_letter", "outbox:1"), raise("dead_letter", "outbox:2"),
                raise("dead_letter", "outbox:3"));
        deliverer().deliverDue();

        assertThat(receiver.requests()).isEqualTo(1);
        assertThat(ids).allSatisfy(id -> assertThat(delivery(id, "oncall").status()).isEqualTo("PENDING"));
        assertThat(smtp.getReceivedMessages()).hasSize(3);
    }

    @Test
    void aBadRequestGoesDeadWithItsReasonAndIsNotRetried() throws Exception {
        receiver.answer(400);
        long id = raise("emergency", "handoff:15");
        AlertDeliverer deliverer = deliverer();

        deliverer.deliverDue();
        clock.advance(Duration.ofHours(2));
        deliverer.deliverDue();

        assertThat(receiver.requests()).isEqualTo(1);
        assertThat(delivery(id, "oncall"))
                .isEqualTo(new Row("DEAD", 1, "HTTP 400: {\"error\":\"unknown channel\"}", null));
        assertThat(delivery(id, "desk").status()).isEqualTo("SENT");
    }

    @Test
    void aChannelDownForADayIsGivenUp() throws Exception {
        receiver.answer(503);
        long id = raise("emergency", "handoff:16");
        AlertDeliverer deliverer = deliverer();
        for (int round = 0; round < 120 && delivery(id, "oncall").status().equals("PENDING"); round++) {
            deliverer.deliverDue();
            clock.advance(Duration.ofMinutes(15));
        }
        Row row = delivery(id, "oncall");
        assertThat(row.status()).isEqualTo("DEAD");
        assertThat(row.lastError()).startsWith("gave up after ").endsWith("attempts: HTTP 503: {}");
        assertThat(clock.instant()).isBetween(NOW.plus(Duration.ofHours(23)), NOW.plus(Duration.ofHours(25)));
    }

    @Test
    void twoRoundsAtOnceSendEachAlertOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(raise("dead_letter", "outbox:" + i));
        }
        AlertDeliverer first = deliverer();
        AlertDeliverer second = deliverer();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> rounds = List.of(() -> {
                together.await();
                return first.deliverDue();
            }, () -> {
                together.await();
                return second.deliverDue();
            });
            int sent = 0;
            for (Future<Integer> f : pool.invokeAll(rounds)) {
                sent += f.get();
            }
            sent += first.deliverDue() + second.deliverDue(); // whatever a batch limit left
            assertThat(sent).isEqualTo(60);
        } finally {
            pool.shutdownNow();
        }

        assertThat(receiver.accepted()).extracting(r -> Long.parseLong(r.alertIdHeader()))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(smtp.getReceivedMessages()).hasSize(30);
        assertThat(receiver.badSignatures()).isZero();
    }
}
