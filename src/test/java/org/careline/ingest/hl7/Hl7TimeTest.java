package org.careline.ingest.hl7;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Hl7TimeTest {

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            202109240930+0215          | UTC           | 2021-09-24T07:15:00Z
            20210924093000+0215        | UTC           | 2021-09-24T07:15:00Z
            20210924093000+0215        | Europe/Berlin | 2021-09-24T07:15:00Z
            20241106120000             | Europe/London | 2024-11-06T12:00:00Z
            20240706120000             | Europe/London | 2024-07-06T11:00:00Z
            2026032902                 | Europe/Berlin | 2026-03-29T01:00:00Z
            20260329023000             | Europe/Berlin | 2026-03-29T01:30:00Z
            20261025023000             | Europe/Berlin | 2026-10-25T00:30:00Z
            2024                       | UTC           | 2024-01-01T00:00:00Z
            2024                       | Europe/Berlin | 2023-12-31T23:00:00Z
            202403                     | UTC           | 2024-03-01T00:00:00Z
            20240229                   | UTC           | 2024-02-29T00:00:00Z
            2024022913                 | UTC           | 2024-02-29T13:00:00Z
            20240101^D                 | UTC           | 2024-01-01T00:00:00Z
            20240101120000^S^extra     | UTC           | 2024-01-01T12:00:00Z
            20240101120000.1234-0500   | UTC           | 2024-01-01T17:00:00.1234Z
            20240101120000.5           | UTC           | 2024-01-01T12:00:00.5Z
            2024+0100                  | UTC           | 2023-12-31T23:00:00Z
            20240101120000-0000        | Europe/Berlin | 2024-01-01T12:00:00Z
            20240101120000-0330        | UTC           | 2024-01-01T15:30:00Z
            ' 20240101120000 '         | UTC           | 2024-01-01T12:00:00Z
            """)
    void parses(String value, String zone, String expected) {
        assertThat(Hl7Time.parse(value, ZoneId.of(zone))).contains(Instant.parse(expected));
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {
            "   ", "^D", "abc", "2024AB01", "24", "202", "20245", "2024010", "20240101120", "2024010112000",
            "20241301", "20240001", "20240230", "20230229", "20240132", "20240101240000", "20240101126000",
            "20240101120060", "20240101120000.", "20240101120000.12345", "202401011200.12", "20240101+01",
            "20240101+0160", "20240101+1900", "20240101 1200", "+0100", "2024-01-01", "2024-01-01T12:00:00Z",
            "\u0662\u0660\u0662\u0664"})
    void rejects(String value) {
        assertThat(Hl7Time.parse(value, ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void overlapTakesEarlierOffsetAndGapMovesForward() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(Hl7Time.parse("20261025023000", berlin).orElseThrow().atZone(berlin).getOffset())
                .isEqualTo(ZoneOffset.ofHours(2));
        assertThat(Hl7Time.parse("2026032902", berlin).orElseThrow().atZone(berlin).toLocalTime())
                .hasToString("03:00");
    }

    @Test
    void zoneIsRequired() {
        assertThatThrownBy(() -> Hl7Time.parse("2024", null)).isInstanceOf(NullPointerException.class);
    }
}
