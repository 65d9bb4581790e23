package org.careline.config;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an interface analyst changes in routes/ and mappings/ takes effect on the next start, with no rebuild:
 * the engine is pointed at edited copies through CARELINE_ROUTES_DIR and CARELINE_MAPPINGS_DIR.
 */
class AnalystEditsTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();

    @TempDir
    Path work;

    @Test
    void editedMappingsAndRoutesApplyOnRestart() throws Exception {
        Path mappings = copy(Path.of("mappings"), work.resolve("mappings"));
        Path routes = copy(Path.of("routes"), work.resolve("routes"));
        // A feed whose real appointment id is the placer id: prefer SCH-1 over SCH-2.
        replace(mappings.resolve("siu.yaml"), "    - path: /.SCH-2-1\n    - path: /.SCH-1-1\n",
                "    - path: /.SCH-1-1\n    - path: /.SCH-2-1\n");
        // The clinic's approved template has another name, and no reminders are wanted at this site.
        replace(mappings.resolve("templates.yaml"), "name: appointment_confirmation", "name: visit_booked");
        replace(mappings.resolve("sites.yaml"), "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n",
                "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n    policy:\n      reminders: []\n");
        // And an extra route: a second MLLP port for another sender, same handling.
        int labPort = EngineFixture.freePort();
        String inbound = Files.readString(routes.resolve("hl7-inbound.yaml"));
        Files.writeString(routes.resolve("hl7-inbound-lab.yaml"), inbound
                .replace("id: hl7-inbound", "id: hl7-inbound-lab")
                .replace("{{careline.mllp.port}}", String.valueOf(labPort)));

        try (EngineFixture fx = EngineFixture.start(Map.of(
                "CARELINE_MAPPINGS_DIR", mappings.toString(),
                "CARELINE_ROUTES_DIR", routes.toString()), NOW)) {
            Siu siu = Siu.booking(NOW.plus(Duration.ofDays(3))).placerId("PLACER-77");
            try (MllpClient client = new MllpClient(labPort)) {
                assertThat(MllpClient.field(client.send(siu.build()), "MSA", 1)).isEqualTo("AA");
            }
            assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE external_id = 'PLACER-77'")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !fx.meta.received().isEmpty());
            Flow.awaitIdle(fx);
            assertThat(fx.meta.received()).hasSize(1);
            assertThat(fx.meta.received().get(0).json().path("template").path("name").asText())
                    .isEqualTo("visit_booked");
            assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE kind = 'REMINDER'")).isZero();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("%s contains the text to edit", file).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
