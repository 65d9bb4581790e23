package org.careline.triage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Meta's 24-hour window, at its edges. */
class ReplyWindowTest {

    @ParameterizedTest(name = "[{index}] last message {0}, now {1} → open={2}")
    @CsvSource(nullValues = "null", value = {
            "2030-03-05T10:00:00Z, 2030-03-05T10:00:00Z, true,  2030-03-06T10:00:00Z",
            "2030-03-05T10:00:00Z, 2030-03-06T09:59:59Z, true,  2030-03-06T10:00:00Z",
            "2030-03-05T10:00:00Z, 2030-03-06T09:59:59.999Z, true, 2030-03-06T10:00:00Z",
            "2030-03-05T10:00:00Z, 2030-03-06T10:00:00Z, false, 2030-03-06T10:00:00Z",
            "2030-03-05T10:00:00Z, 2030-03-06T10:00:01Z, false, 2030-03-06T10:00:00Z",
            "2030-03-05T10:00:00Z, 2030-03-09T10:00:00Z, false, 2030-03-06T10:00:00Z",
            // a message stamped a little in the future (clocks differ): the window is open
            "2030-03-05T10:05:00Z, 2030-03-05T10:00:00Z, true,  2030-03-06T10:05:00Z",
            "null,                 2030-03-05T10:00:00Z, false, null",
    })
    void openForTwentyFourHoursAfterThePatientsLastMessage(Instant last, Instant now, boolean open, Instant closes) {
        ReplyWindow w = ReplyWindow.at(last, now);
        assertThat(w.open()).isEqualTo(open);
        assertThat(w.closesAt()).isEqualTo(closes);
    }
}
