package org.careline.ingest.hl7;

import org.careline.model.ConsentSignal;
import org.careline.model.ConsentValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** PD1-12 and CON-11 codes, as read into a consent signal. */
class Hl7ConsentTest {

    @ParameterizedTest(name = "PD1-12={0} CON-11={1} → {2} {3}")
    @CsvSource(nullValues = "-", textBlock = """
            Y, -, true,  -
            y, -, true,  -
            N, -, false, -
            -, -, -,     -
            Q, -, -,     -
            -, A, -,     GRANTED
            -, R, -,     REFUSED
            -, X, -,     WITHDRAWN
            -, P, -,     -
            -, B, -,     -
            N, A, false, GRANTED
            """)
    void reads(String protection, String status, Boolean expectedProtection, ConsentValue expectedConsent) {
        assertThat(Hl7Consent.signal(protection, status))
                .isEqualTo(new ConsentSignal(expectedProtection, expectedConsent));
    }
}
