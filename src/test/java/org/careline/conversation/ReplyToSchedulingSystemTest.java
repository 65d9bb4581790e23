package org.careline.conversation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.SchedulingPeer;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop: a reminder goes out, the patient presses a quick-reply button (delivered twice, as Meta does),
 * and the scheduling system — a real MLLP peer — receives exactly one request naming the appointment.
 */
class ReplyToSchedulingSystemTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();

    private SchedulingPeer peer;
    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        peer = SchedulingPeer.onFreePort();
        peer.start();
        fx = EngineFixture.start(Map.of("CARELINE_SCHEDULING_MLLP", peer.address(),
                "CARELINE_WRITEBACK_INTERVAL_MS", "100"), NOW);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
        peer.close();
    }

    @Test
    void aConfirmPressDeliveredTwiceReachesTheSchedulingSystemOnce() throws Exception {
        Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3))).placerId("PL-9").fillerId("FL-9");
        Flow.accepted(fx, siu);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
        // The stand-in has the request before the engine has recorded its answer: wait for the wamid.
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND wamid IS NOT NULL") == 1);
        String confirmationWamid = (String) fx.query("SELECT wamid FROM outbox WHERE kind = 'CONFIRMATION'")
                .get(0).get("WAMID");

        ObjectNode press = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000", NOW);
        ObjectNode message = (ObjectNode) MetaWebhooks.messages(press).get(0);
        message.remove("text");
        message.put("type", "button");
        message.putObject("button").put("text", "Confirm").put("payload", "CONFIRM");
        message.putObject("context").put("from", "15550783881").put("id", confirmationWamid);
        assertThat(MetaWebhooks.post(fx, press).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, press).status()).isEqualTo(200); // Meta's duplicate delivery

        await().atMost(Duration.ofSeconds(15)).until(() ->
                fx.count("SELECT COUNT(*) FROM writeback_request WHERE status = 'DONE'") == 1);
        assertThat(peer.received()).hasSize(1);
        String srm = peer.received().get(0);
        assertThat(MllpClient.field(srm, "MSH", 9)).startsWith("SRM^S03");
        assertThat(MllpClient.field(srm, "ARQ", 1)).startsWith("PL-9");
        assertThat(MllpClient.field(srm, "ARQ", 2)).startsWith("FL-9");
        assertThat(MllpClient.field(srm, "MSH", 12)).isEqualTo("2.5");

        Flow.awaitIdle(fx);
        assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(1);
        assertThat(fx.meta.received()).hasSize(2).as("the confirmation template and one thank-you text");
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply")).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE confirmed_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void aSpanishCancellationByFreeTextBecomesAnSrmS04() throws Exception {
        Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3))).language("es").fillerId("FL-ES");
        Flow.accepted(fx, siu);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);

        ObjectNode text = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000", NOW);
        ((ObjectNode) MetaWebhooks.messages(text).get(0)).putObject("text").put("body", "Quiero cancelar");
        // "Quiero cancelar" is two words but starts with no keyword: the menu. Then "Cancelar." is understood.
        assertThat(MetaWebhooks.post(fx, text).status()).isEqualTo(200);
        ObjectNode again = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), "16082719000", NOW);
        ((ObjectNode) MetaWebhooks.messages(again).get(0)).putObject("text").put("body", "Cancelar.");
        assertThat(MetaWebhooks.post(fx, again).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> peer.received().size() == 1);
        assertThat(MllpClient.field(peer.received().get(0), "MSH", 9)).startsWith("SRM^S04");
        assertThat(MllpClient.field(peer.received().get(0), "ARQ", 2)).startsWith("FL-ES");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 3);
        Flow.awaitIdle(fx);
        // Both replies may be sent in the same dispatch round, so in either order.
        assertThat(fx.meta.received().subList(1, 3)).extracting(r -> r.json().path("text").path("body").asText())
                .anySatisfy(body -> assertThat(body).startsWith("Disculpe"))
                .anySatisfy(body -> assertThat(body).startsWith("Gracias. Hemos pedido a la clínica que cancele"));
    }
}
