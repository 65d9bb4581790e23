package org.careline.ingest.fhir;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which pushed event numbers may move the high-water mark (issue 14, finding 3). */
class EventNumbersTest {

    @ParameterizedTest(name = "seen={0} first={1} last={2} → {3} {4}")
    @CsvSource(textBlock = """
            0,    1,    1,                   in-order,    1
            1,    2,    2,                   in-order,    2
            5,    3,    4,                   in-order,    5
            1,    4,    4,                   gap,         4
            1,    2,    1001,                in-order,    1001
            1,    2,    1002,                unconfirmed, 1
            1,    3,    1001,                gap,         1001
            0,    1,    9223372036854775807, unconfirmed, 0
            10,   9223372036854775806, 9223372036854775807, unconfirmed, 10
            -5,   1,    1,                   in-order,    1
            7,    -9223372036854775808, -1,   in-order,    7
            """)
    void decide(long seen, long first, long last, String outcome, long mark) {
        EventNumbers.Decision d = EventNumbers.decide(seen, first, last);
        switch (outcome) {
            case "in-order" -> assertThat(d).isEqualTo(new EventNumbers.InOrder(mark));
            case "gap" -> assertThat(d).isEqualTo(new EventNumbers.Gap(Math.max(seen, 0), mark));
            case "unconfirmed" -> assertThat(d).isEqualTo(new EventNumbers.Unconfirmed(mark));
            default -> throw new IllegalArgumentException(outcome);
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", textBlock = """
            NULL,                0
            0,                   0
            12,                  12
            1000,                1000
            1001,                0
            9223372036854775807, 0
            -3,                  0
            """)
    void aHandshakeStartsTheMarkOnlyWithinTheWindow(Long eventsSinceStart, long mark) {
        assertThat(EventNumbers.handshakeMark(eventsSinceStart)).isEqualTo(mark);
    }
}
