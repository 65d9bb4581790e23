package org.careline.writeback;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpAcknowledgementTimeoutException;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.mllp.MllpInvalidAcknowledgementException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How camel-mllp's producer outcomes are read: by exception type, never by text. */
class AckOutcomeTest {

    private static final byte[] SENT = "MSH|^~\\&|CARELINE|CL|EHR|HOSP|20300305190000||SRM^S03|C1|P|2.5".getBytes(StandardCharsets.UTF_8);
    private static CamelContext camel;

    @BeforeAll
    static void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    private static byte[] ack(String text) {
        return text.replace('\n', '\r').getBytes(StandardCharsets.UTF_8);
    }

    private static Exchange failedWith(Exception e, boolean caught) {
        Exchange ex = new DefaultExchange(camel);
        if (caught) {
            ex.setProperty(Exchange.EXCEPTION_CAUGHT, e); // what doTry/doCatch in the route leaves
        } else {
            ex.setException(e);
        }
        return ex;
    }

    @Test
    void negativeAcksAreRejectionsByExceptionType() {
        byte[] v25 = ack("MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305190000||ACK^S03|A1|P|2.5\n"
                + "MSA|AE|C1|Slot locked\nERR|||207^Application internal error^HL70357|E||||Try later");
        assertThat(AckOutcome.of(failedWith(new MllpApplicationErrorAcknowledgementException(SENT, v25, false), true)))
                .isEqualTo(new AckOutcome.Rejected("AE", "Slot locked; Try later"));
        assertThat(AckOutcome.of(failedWith(new MllpApplicationRejectAcknowledgementException(SENT, v25, false), false)))
                .isEqualTo(new AckOutcome.Rejected("AR", "Slot locked; Try later"));
        assertThat(AckOutcome.of(failedWith(new MllpCommitErrorAcknowledgementException(SENT, v25, false), true)))
                .extracting(o -> ((AckOutcome.Rejected) o).code()).isEqualTo("CE");
        assertThat(AckOutcome.of(failedWith(new MllpCommitRejectAcknowledgementException(SENT, v25, false), true)))
                .extracting(o -> ((AckOutcome.Rejected) o).code()).isEqualTo("CR");
    }

    @Test
    void errTextOfOlderVersionsAndOfHl7ErrorCodes() {
        // v2.3/2.4: ERR-1 is segment^sequence^field^code&text; v2.5 without ERR-8: ERR-3's text.
        assertThat(AckOutcome.text(ack("MSH|^~\\&|EHR|HOSP|||x||ACK|A1|P|2.3\nMSA|AR|C1\nERR|ARQ^1^1^101&Required field missing")))
                .isEqualTo("Required field missing");
        assertThat(AckOutcome.text(ack("MSH|^~\\&|EHR|HOSP|||x||ACK|A1|P|2.5\nMSA|AE|C1\nERR|||103^Table value not found")))
                .isEqualTo("Table value not found");
        assertThat(AckOutcome.text(ack("MSH|^~\\&|EHR|HOSP|||x||ACK|A1|P|2.5\nMSA|AA|C1"))).isNull();
    }

    @Test
    void transportFailuresAndNonAcksAreNotAnswers() {
        assertThat(AckOutcome.of(failedWith(new ConnectException("Connection refused"), false)))
                .isEqualTo(new AckOutcome.NotAnswered("ConnectException"));
        assertThat(AckOutcome.of(failedWith(new MllpAcknowledgementTimeoutException("timeout", SENT, false), true)))
                .isEqualTo(new AckOutcome.NotAnswered("MllpAcknowledgementTimeoutException"));
        assertThat(AckOutcome.of(failedWith(new MllpInvalidAcknowledgementException("bad", SENT, ack("MSA|XX"), false), true)))
                .isEqualTo(new AckOutcome.NotAnswered("MllpInvalidAcknowledgementException"));
        // camel-mllp does not validate by default: an answer without MSA comes back with no acknowledgement type.
        Exchange noMsa = new DefaultExchange(camel);
        noMsa.getMessage().setHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, "");
        assertThat(AckOutcome.of(noMsa)).isInstanceOf(AckOutcome.NotAnswered.class);
    }

    @Test
    void aaAndCaAreAccepted() {
        for (String code : new String[]{"AA", "CA"}) {
            Exchange ok = new DefaultExchange(camel);
            ok.getMessage().setHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code);
            ok.getMessage().setHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT,
                    ack("MSH|^~\\&|EHR|HOSP|||x||ACK|A1|P|2.5\nMSA|" + code + "|C1|Booked"));
            assertThat(AckOutcome.of(ok)).isEqualTo(new AckOutcome.Accepted(code, "Booked"));
        }
    }
}
