package org.careline.send;

import org.careline.model.ConsentMode;
import org.careline.model.ConsentValue;
import org.careline.model.MessageKind;
import org.careline.model.PatientConsent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** May this message go to this patient now, as far as consent goes: one row per case. */
class ConsentGateTest {

    @ParameterizedTest(name = "{0} consent={1} protected={2} {3} → {4}")
    @CsvSource(nullValues = "-", textBlock = """
            OPT_OUT, -,         false, CONFIRMATION,      send
            OPT_OUT, -,         false, REMINDER,          send
            OPT_OUT, GRANTED,   false, REMINDER,          send
            OPT_OUT, -,         true,  CONFIRMATION,      DO_NOT_MESSAGE
            OPT_OUT, -,         true,  TEXT,              DO_NOT_MESSAGE
            OPT_OUT, -,         true,  SERVICE_TEXT,      send
            OPT_OUT, REFUSED,   false, REMINDER,          CONSENT_DECLINED
            OPT_OUT, WITHDRAWN, false, RESULTS_AVAILABLE, CONSENT_DECLINED
            OPT_OUT, WITHDRAWN, false, SERVICE_TEXT,      send
            OPT_IN,  -,         false, CONFIRMATION,      hold
            OPT_IN,  -,         false, REMINDER,          hold
            OPT_IN,  -,         false, RESULTS_AVAILABLE, hold
            OPT_IN,  -,         false, FOLLOW_UP,         hold
            OPT_IN,  -,         false, OPT_IN,            send
            OPT_IN,  -,         false, TEXT,              send
            OPT_IN,  -,         false, SERVICE_TEXT,      send
            OPT_IN,  GRANTED,   false, CONFIRMATION,      send
            OPT_IN,  GRANTED,   true,  CONFIRMATION,      DO_NOT_MESSAGE
            OPT_IN,  -,         true,  OPT_IN,            DO_NOT_MESSAGE
            OPT_IN,  REFUSED,   false, OPT_IN,            CONSENT_DECLINED
            OPT_IN,  REFUSED,   false, CONFIRMATION,      CONSENT_DECLINED
            OPT_IN,  WITHDRAWN, false, REMINDER,          CONSENT_DECLINED
            """)
    void decides(ConsentMode mode, ConsentValue consent, boolean doNotMessage, MessageKind kind, String expected) {
        ConsentGate.Verdict v = ConsentGate.decide(mode, new PatientConsent(7L, consent, doNotMessage, false), kind);
        String got = v instanceof ConsentGate.Refused r ? r.reason().name()
                : v instanceof ConsentGate.Held ? "hold" : "send";
        assertThat(got).isEqualTo(expected);
    }
}
