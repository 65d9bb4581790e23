package org.careline.ingest.hl7;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** MSH-9 and MSH-12 in log lines: known codes as they are, anything else as "unknown" with its length. */
class Hl7CodesTest {

    private static final Hl7Codes CODES = new Hl7Codes(Set.of("SIU^S12", "ZZZ^Z01"));

    @ParameterizedTest(name = "{0}^{1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            SIU    | S12    | SIU^S12
            ADT    | A01    | ADT^A01
            ADT    | A04    | ADT^A04
            ORU    | R01    | ORU^R01
            MDM    | T02    | MDM^T02
            ZZZ    | Z01    | ZZZ^Z01
            ACK    | ''     | ACK
            SIU    | S99    | unknown(len=7)
            XYZ    | A01    | unknown(len=7)
            siu    | s12    | unknown(len=7)
            SIU    | S12 OR 1=1 | unknown(len=14)
            <script> | x    | unknown(len=10)
            ''     | ''     | unknown(len=1)
            """)
    void messageTypes(String type, String event, String logged) {
        MshHeader h = new MshHeader("EHR", "HOSP", "CL", "CL", type, event, "1", "P", "2.5", null);
        assertThat(CODES.messageType(h)).isEqualTo(logged);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            2.1         | 2.1
            2.3.1       | 2.3.1
            2.5         | 2.5
            2.5.1       | 2.5.1
            2.8.2       | 2.8.2
            2.9         | unknown(len=3)
            3.0         | unknown(len=3)
            2.5.1.1     | unknown(len=7)
            2.5<b>      | unknown(len=6)
            ''          | unknown(len=0)
            NULL        | unknown(len=0)
            """)
    void versions(String version, String logged) {
        assertThat(Hl7Codes.version(version)).isEqualTo(logged);
    }
}
