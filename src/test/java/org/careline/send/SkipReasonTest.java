package org.careline.send;

import org.careline.schedule.MessageKind;
import org.careline.store.Outbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a claimed message may still go out, decided from the data at send time. */
class SkipReasonTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    @ParameterizedTest(name = "{0} {1} start+{2}s phone={3} optedOut={4} → {5}")
    @CsvSource(nullValues = "-", textBlock = """
            REMINDER,     BOOKED,    3600,  +16082719000, false, -
            REMINDER,     BOOKED,    3600,  -,            false, patient unreachable: no mobile number
            REMINDER,     BOOKED,    3600,  +16082719000, true,  patient opted out
            REMINDER,     CANCELLED, 3600,  +16082719000, false, appointment cancelled
            CONFIRMATION, NO_SHOW,   3600,  +16082719000, false, appointment no_show
            REMINDER,     BOOKED,    -60,   +16082719000, false, appointment already started
            CANCELLED,    CANCELLED, 3600,  +16082719000, false, -
            CANCELLED,    CANCELLED, 3600,  +16082719000, true,  patient opted out
            """)
    void decidesFromCurrentData(MessageKind kind, String appointmentStatus, long startInSeconds, String phone,
                                boolean optedOut, String expected) {
        Outbox.Due due = new Outbox.Due(1, 1, kind, "x", 0, NOW, Outbox.SENDING, appointmentStatus,
                NOW.plusSeconds(startInSeconds), 30, "main", null, null, null, null, "Jane", phone, "en", optedOut);
        assertThat(Dispatcher.skipReason(due, NOW)).isEqualTo(expected);
    }
}
