package org.careline.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.Postgres;
import org.careline.support.SchedulingPeer;
import org.careline.support.Siu;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The conversation loop on PostgreSQL: webhook intake and processing, reply handling, delivery statuses and the
 * write-back queue all run their SQL on PostgreSQL here (the other flow tests use H2).
 */
class PostgresConversationTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();

    @Test
    void buttonPressStatusesAndWriteBackOnPostgres() throws Exception {
        try (SchedulingPeer peer = SchedulingPeer.onFreePort()) {
            peer.start();
            Map<String, String> env = new HashMap<>(Postgres.freshDatabaseEnv());
            env.put("CARELINE_SCHEDULING_MLLP", peer.address());
            env.put("CARELINE_WRITEBACK_INTERVAL_MS", "100");
            try (EngineFixture fx = EngineFixture.start(env, NOW)) {
                Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3))).placerId("PG-PL").fillerId("PG-FL");
                Flow.accepted(fx, siu);
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
                // The stand-in has the request before the engine has recorded its answer: wait for the wamid.
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.count(
                        "SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND wamid IS NOT NULL") == 1);
                String wamid = (String) fx.query("SELECT wamid FROM outbox WHERE kind = 'CONFIRMATION'").get(0).get("WAMID");

                assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(
                        MetaWebhooks.status(wamid, "read", NOW.plusSeconds(5)),
                        MetaWebhooks.status(wamid, "delivered", NOW.plusSeconds(3)))).status()).isEqualTo(200);
                ObjectNode press = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000", NOW);
                ObjectNode message = (ObjectNode) MetaWebhooks.messages(press).get(0);
                message.remove("text");
                message.put("type", "button");
                message.putObject("button").put("text", "Confirm").put("payload", "CONFIRM");
                message.putObject("context").put("from", "15550783881").put("id", wamid);
                assertThat(MetaWebhooks.post(fx, press).status()).isEqualTo(200);
                assertThat(MetaWebhooks.post(fx, press).status()).isEqualTo(200); // duplicate delivery

                await().atMost(Duration.ofSeconds(15)).until(() ->
                        fx.count("SELECT COUNT(*) FROM writeback_request WHERE status = 'DONE'") == 1);
                assertThat(peer.received()).hasSize(1);
                assertThat(MllpClient.field(peer.received().get(0), "ARQ", 2)).startsWith("PG-FL");
                assertThat(fx.query("SELECT delivery_status FROM outbox WHERE wamid = ?", wamid).get(0))
                        .containsEntry("DELIVERY_STATUS", "read");
                // Each status's event once (Outbox.logEventOnce's INSERT … SELECT … WHERE NOT EXISTS on PostgreSQL).
                assertThat(fx.count("SELECT COUNT(*) FROM message_event e JOIN outbox o ON o.id = e.outbox_id "
                        + "WHERE o.wamid = ? AND e.event IN ('delivered', 'read')", wamid)).isEqualTo(2);
                assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply")).isEqualTo(1);
                Flow.awaitIdle(fx);
                assertThat(fx.meta.received()).hasSize(2); // the confirmation and one thank-you
            }
        }
    }
}
