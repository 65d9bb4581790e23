package org.careline.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures' benchmark at a toy size: it generates, builds the roll-ups, starts the engine and times every call. */
class StatsBenchSmokeTest {

    @Test
    void aSmallYearIsGeneratedRolledUpAndTimed() throws Exception {
        Path dir = Files.createTempDirectory("bench-stats");
        List<StatsBench.Timing> timings = new StatsBench(StatsBench.Options.parse(new String[]{"bench", "--stats",
                "--appointments", "3000", "--calls", "1", "--dir", dir.toString()})).runAll();
        assertThat(timings).hasSize(2 * 4 * 7);
        assertThat(timings).allSatisfy(t -> assertThat(t.millis()).hasSize(1));
        assertThat(Files.readString(dir.resolve("stats-timings.md"))).contains("| `summary` | gh-clinic |",
                "| `no-shows` | all |", "the 1 s goal is");
    }
}
