package org.careline.send;

import org.careline.model.AppointmentStatus;
import org.careline.model.DueMessage;
import org.careline.model.MessageContext;
import org.careline.model.MessageKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a claimed message may still go out, decided from the data at send time. */
class SendDecisionTest {

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
    void decidesFromCurrentData(MessageKind kind, AppointmentStatus appointmentStatus, long startInSeconds,
                                String phone,
                                boolean optedOut, String expected) {
        DueMessage due = new DueMessage(1, kind, 0, phone, "en", optedOut, null, "main",
                new MessageContext.Appointment(1L, appointmentStatus, NOW.plusSeconds(startInSeconds), null, null,
                        "Jane"));
        assertThat(SendDecision.of(due, NOW).reasonText()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} last message {1}s ago, optedOut={2} → {3}")
    @CsvSource(nullValues = "-", textBlock = """
            TEXT,         3600,   false, -
            TEXT,         86399,  false, -
            TEXT,         86400,  false, outside the 24-hour customer-service window
            TEXT,         -,      false, outside the 24-hour customer-service window
            LOCATION,     90000,  false, outside the 24-hour customer-service window
            TEXT,         60,     true,  patient opted out
            SERVICE_TEXT, 60,     true,  -
            SERVICE_TEXT, 90000,  true,  outside the 24-hour customer-service window
            """)
    void freeFormRepliesOnlyInsideTheWindowAndServiceTextsEvenToOptedOutNumbers(MessageKind kind, Long secondsAgo,
                                                                                boolean optedOut, String expected) {
        DueMessage due = new DueMessage(1, kind, 0, "+16082719000", null, optedOut,
                secondsAgo == null ? null : NOW.minusSeconds(secondsAgo), null,
                new MessageContext.Reply(null, "Thank you"));
        assertThat(SendDecision.of(due, NOW).reasonText()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} link expires in {1}s, optedOut={2} → {3}")
    @CsvSource(nullValues = "-", textBlock = """
            RESULTS_AVAILABLE,  3600,  false, -
            RESULTS_AVAILABLE,  -,     false, -
            RESULTS_AVAILABLE,  0,     false, portal link expired
            DOCUMENT_ATTACHED,  -60,   false, portal link expired
            RESULTS_UPDATED,    3600,  true,  patient opted out
            """)
    void resultNoticesGoOnlyWhileTheirPortalLinkVerifies(MessageKind kind, Long expiresInSeconds, boolean optedOut,
                                                        String expected) {
        DueMessage due = new DueMessage(1, kind, 0, "+16082719000", "en", optedOut, null, "main",
                new MessageContext.Notice(7, "ref", expiresInSeconds == null ? null : NOW.plusSeconds(expiresInSeconds),
                        "Jane"));
        assertThat(SendDecision.of(due, NOW).reasonText()).isEqualTo(expected);
    }
}
