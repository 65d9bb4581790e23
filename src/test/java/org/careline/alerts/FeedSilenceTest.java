package org.careline.alerts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class FeedSilenceTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    /**
     * senders: "name:minutes since its last message" separated by spaces; open: subjects of open alerts;
     * up: minutes the engine has watched.
     */
    @ParameterizedTest(name = "{0} open=[{1}] up={2}m → raise [{3}] clear [{4}]")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
            "-;                      -;                  600; -;                  -",
            "EPIC:10;                -;                  600; -;                  -",
            "EPIC:61;                -;                  600; feed:EPIC;          -",
            "EPIC:61;                feed:EPIC;          600; -;                  -",
            "EPIC:5;                 feed:EPIC;          600; -;                  feed:EPIC",
            "EPIC:61;                -;                  30;  -;                  -",
            "EPIC:61 LAB:10;         -;                  600; feed:EPIC;          -",
            "EPIC:61 LAB:70;         -;                  600; feed:all;           -",
            "EPIC:61 LAB:70;         feed:all;           600; -;                  -",
            "EPIC:61 LAB:2;          feed:all;           600; feed:EPIC;          feed:all",
            "EPIC:61 LAB:70;         feed:EPIC;          600; feed:all;           -",
            "LAB:2;                  feed:GONE;          600; -;                  -",
            "EPIC:60;                -;                  600; -;                  -",
    })
    void silentFeedsAreToldOnceAndClearedWhenTheyFlow(String senders, String open, int upMinutes, String raise,
                                                      String clear) {
        Map<String, Instant> lastSeen = new LinkedHashMap<>();
        if (senders != null) {
            for (String s : senders.trim().split("\\s+")) {
                String[] p = s.split(":");
                lastSeen.put(p[0], NOW.minus(Duration.ofMinutes(Long.parseLong(p[1]))));
            }
        }
        FeedSilence.Decision d = FeedSilence.decide(lastSeen, set(open), NOW, Duration.ofMinutes(60),
                NOW.minus(Duration.ofMinutes(upMinutes)));
        assertThat(new TreeSet<>(d.raise())).isEqualTo(set(raise));
        assertThat(new TreeSet<>(d.clear())).isEqualTo(set(clear));
    }

    private static Set<String> set(String list) {
        return list == null ? new TreeSet<>() : new TreeSet<>(Arrays.asList(list.trim().split("\\s+")));
    }
}
