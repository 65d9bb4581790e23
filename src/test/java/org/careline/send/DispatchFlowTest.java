package org.careline.send;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIU in over MLLP → outbox → Cloud API request at the stand-in, checked as Meta would see it. */
class DispatchFlowTest {

    // A Tuesday at 14:00 in Detroit: outside quiet hours, so the confirmation goes at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(java.util.Map.of(), NOW);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void bookingSendsConfirmationTemplateToCloudApi() throws Exception {
        Instant start = NOW.plus(Duration.ofDays(3));
        Siu siu = Siu.booking(start);
        try (MllpClient client = fx.mllp()) {
            String ack = client.send(siu.build());
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
        MetaStub.Received r = fx.meta.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v23.0/" + EngineFixture.PHONE_NUMBER_ID + "/messages");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + EngineFixture.TOKEN);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(json.path("to").asText()).isEqualTo("16082719000");
        assertThat(json.path("type").asText()).isEqualTo("template");
        assertThat(json.path("template").path("name").asText()).isEqualTo("appointment_confirmation");
        assertThat(json.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        JsonNode params = json.path("template").path("components").path(0).path("parameters");
        assertThat(params).hasSize(6);
        assertThat(params.get(0).path("text").asText()).isEqualTo("Jane");
        assertThat(params.get(1).path("text").asText()).isEqualTo("DR ANNA SMITH");
        assertThat(params.get(2).path("text").asText()).isEqualTo("Friday, March 8, 2030");
        assertThat(params.get(3).path("text").asText()).isEqualTo("2:00 PM");
        assertThat(params.get(4).path("text").asText()).isEqualTo("GH Clinic");

        await().atMost(Duration.ofSeconds(5)).until(() ->
                fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'SENT' AND wamid = 'wamid.TEST1'") == 1);
        List<String> pending = fx.query("SELECT label FROM outbox WHERE status = 'PENDING' ORDER BY due_at").stream()
                .map(row -> (String) row.get("LABEL")).toList();
        assertThat(pending).containsExactly("48h", "2h");
    }
}
