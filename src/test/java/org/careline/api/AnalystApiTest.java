package org.careline.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An analyst over HTTP: finds an HL7 message by MSH-10 with its ACK but never its content, replays one answered AE
 * (which is applied once) and is refused the replay of an applied one; every step in the audit trail.
 */
class AnalystApiTest {

    private static final String PASSWORD = "analyst-api-password";
    private static EngineFixture fx;
    private static StaffClient analyst;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD), Instant.now());
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"analyst1\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"analyst\"]}").status()).isEqualTo(201);
        analyst = new StaffClient(fx.httpPort()).signedIn("analyst1", PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void anAppliedMessageIsShownWithoutItsContentAndItsReplayIsRefused() throws Exception {
        Siu siu = Siu.booking(Instant.now().plus(Duration.ofDays(3))).controlId("API-AA-1");
        Flow.accepted(fx, siu);
        StaffClient.Answer found = analyst.get("/api/v1/inbound?control_id=API-AA-1");
        assertThat(found.status()).isEqualTo(200);
        JsonNode receipt = found.json().get(0);
        assertThat(receipt.get("ackCode").asText()).isEqualTo("AA");
        assertThat(receipt.get("replayable").asBoolean()).isFalse();
        // no message content: not the patient's name, not the raw segments
        assertThat(found.body()).doesNotContain("PID|", "DOE", "JANE");
        StaffClient.Answer replay = analyst.post("/api/v1/inbound/" + receipt.get("id").asLong() + "/replay", "{}");
        assertThat(replay.status()).isEqualTo(409);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_event WHERE actor = 'analyst1' AND action = 'replay' "
                + "AND outcome = 'refused'")).isEqualTo(1);
    }

    @Test
    void aMessageAnsweredAeIsReplayedOnceThroughTheApi() throws Exception {
        // No start time at all: the mapping cannot place the appointment, and the sender is told AE.
        Siu siu = Siu.booking(Instant.now().plus(Duration.ofDays(3))).controlId("API-AE-1").rawStart("");
        try (MllpClient client = fx.mllp()) {
            assertThat(MllpClient.field(client.send(siu.build()), "MSA", 1)).isIn("AE", "AR");
        }
        JsonNode receipt = analyst.get("/api/v1/inbound?control_id=API-AE-1").json().get(0);
        assertThat(receipt.get("replayable").asBoolean()).isTrue();
        StaffClient.Answer replay = analyst.post("/api/v1/inbound/" + receipt.get("id").asLong() + "/replay", "{}");
        // Nothing was fixed: the replay answers as the first time did, and is recorded.
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("ackCode").asText()).isIn("AE", "AR");
        assertThat(fx.count("SELECT COUNT(*) FROM appointment")).isLessThanOrEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_event WHERE actor = 'analyst1' AND action = 'replay' "
                + "AND outcome = 'ok'")).isEqualTo(1);
        assertThat(analyst.get("/api/v1/dead-letters").status()).isEqualTo(200);
        assertThat(analyst.get("/api/v1/handoffs").status()).isEqualTo(403);
    }
}
