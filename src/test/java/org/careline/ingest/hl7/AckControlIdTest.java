package org.careline.ingest.hl7;

import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's ACKs carry control ids Careline makes itself ({@link AckBuilder}), so HAPI's file-based id generator,
 * which would keep its counter in {@code ./id_file}, is never asked: running the engine leaves nothing in the
 * working directory (the checkout, when run from there).
 */
class AckControlIdTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");

    @Test
    void acksHaveTheirOwnUniqueControlIdsAndNoIdFileAppears() throws Exception {
        Path idFile = Path.of("id_file").toAbsolutePath();
        // A stale copy from before id_file was untracked may still be there: then it must stay untouched.
        String before = Files.exists(idFile) ? Files.readString(idFile) : null;
        long modifiedBefore = Files.exists(idFile) ? Files.getLastModifiedTime(idFile).toMillis() : 0;

        String first;
        String second;
        try (EngineFixture fx = EngineFixture.start(Map.of(), NOW);
             MllpClient client = fx.mllp()) {
            first = client.send(Siu.booking(NOW.plus(Duration.ofDays(3))).build());
            second = client.send(Siu.booking(NOW.plus(Duration.ofDays(4))).build());
            assertThat(fx.dataDir.resolve("id_file")).doesNotExist();
        }

        assertThat(MllpClient.field(first, "MSA", 1)).isEqualTo("AA");
        assertThat(MllpClient.field(second, "MSA", 1)).isEqualTo("AA");
        String firstId = MllpClient.field(first, "MSH", 10);
        String secondId = MllpClient.field(second, "MSH", 10);
        assertThat(firstId).isNotBlank();
        assertThat(secondId).isNotBlank().isNotEqualTo(firstId);

        if (before == null) {
            assertThat(idFile).doesNotExist();
        } else {
            assertThat(Files.readString(idFile)).isEqualTo(before);
            assertThat(Files.getLastModifiedTime(idFile).toMillis()).isEqualTo(modifiedBefore);
        }
    }
}
