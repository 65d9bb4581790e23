package org.careline.ingest.hl7;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The labels an answered HL7 message is counted under: known codes only, the ACK's own MSA-1. */
class AckLabelsTest {

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(nullValues = "null", value = {
            "SIU^S12, SIU, S12",
            "ORU^R01, ORU, R01",
            "MDM^T02, MDM, T02",
            "ACK, ACK, ''",
            "unknown(len=12), unknown, unknown",
            "?, unknown, unknown",
            "null, unknown, unknown",
            "'SIU^S12^SIU_S12', unknown, unknown"})
    void typeAndEventAreKnownCodesOrUnknown(String known, String type, String event) {
        assertThat(Acknowledger.typeLabels(known)).containsExactly(type, event);
    }

    // Segments are written apart by <CR> here: a CR would end the CSV line.
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "'MSH|^~\\&|CARELINE|CL|EHR|HOSP|20260101||ACK^S12|1|P|2.5<CR>MSA|AA|C1', AA",
            "'MSH|^~\\&|CARELINE|CL|EHR|HOSP|20260101||ACK|1|P|2.5<CR>MSA|AE|C1|Required start missing<CR>ERR|||207', AE",
            "'MSH|^~\\&|x<CR>MSA|AR|C1', AR",
            "'MSH#^~\\&#x<CR>MSA#CA#C1', CA",
            "'MSH|^~\\&|x<CR>MSA|ZZ|C1', unknown",
            "'MSH|^~\\&|x', unknown",
            "null, unknown"})
    void theAckCodeIsReadFromTheAnswer(String ack, String code) {
        assertThat(Acknowledger.ackCodeOf(ack == null ? null : ack.replace("<CR>", "\r"))).isEqualTo(code);
    }
}
