package org.careline.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CARELINE_LOG_FORMAT=json on a real engine process: after a booking, a rejected message and a patient's reply,
 * every line on standard error is one JSON object with time, level, logger, thread and message, and none holds the
 * patient's name, number or words.
 */
class JsonLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_SECRET = "json-log-app-secret";

    @Test
    void everyLineIsAJsonObjectWithoutThePatientsData() throws Exception {
        Path dir = Files.createTempDirectory("careline-json-log");
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_LOG_FORMAT", "json");
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        env.put("CARELINE_TIMEZONE", "America/New_York");
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        try (EngineProcess careline = EngineProcess.start(env, dir, "json")) {
            careline.awaitHealthy(Duration.ofSeconds(120));
            Siu booking = Siu.booking(Instant.now().plus(Duration.ofDays(3)));
            try (MllpClient mllp = new MllpClient(careline.mllpPort())) {
                assertThat(MllpClient.field(mllp.send(booking.build()), "MSA", 1)).isEqualTo("AA");
                assertThat(MllpClient.field(mllp.send(Siu.booking(Instant.now()).rawStart("").build()), "MSA", 1))
                        .isEqualTo("AE");
            }
            assertThat(MetaWebhooks.post(careline.httpPort(), APP_SECRET, MetaWebhooks.textMessage(
                    MetaWebhooks.newWamid(), "16082719000", Instant.now())).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> careline.stderr().contains("sandbox: accepted"));
            careline.stop(Duration.ofSeconds(60));
            String log = careline.stderr();
            List<String> lines = log.lines().toList();
            assertThat(lines).hasSizeGreaterThan(20);
            for (String line : lines) {
                JsonNode j = JSON.readTree(line);
                assertThat(j.isObject()).as(line).isTrue();
                for (String field : List.of("time", "level", "logger", "thread", "message")) {
                    assertThat(j.hasNonNull(field)).as(field + " in " + line).isTrue();
                }
                assertThat(j.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
                assertThat(j.size()).as(line).isBetween(5, 6);
            }
            assertThat(log).contains("SIU^S12").contains("\"level\":\"INFO\"")
                    .doesNotContain("2719000").doesNotContain("JANE").doesNotContain("DOE")
                    .doesNotContain("Yes, see you then").doesNotContain("Test Patient");
        }
    }
}
