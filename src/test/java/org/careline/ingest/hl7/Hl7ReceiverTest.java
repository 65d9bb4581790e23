package org.careline.ingest.hl7;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Hl7ReceiverTest {

    private static final String SIU = String.join("\r",
            "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20260101120000||SIU^S12|C1|P|%s%s",
            "SCH|PL1|FL1|||||ROUTINE|NORMAL|30|MIN|^^30^20300305140000",
            "PID|1||MRN1^^^HOSP^MR||DOE^%s||19800101|F",
            "RGS|1",
            "AIS|1||CONS^Consultation");

    private static String siu(String version, String msh18, String given) {
        return String.format(SIU, version, msh18 == null ? "" : "||||||" + msh18, given);
    }

    private static MshHeader headerWithCharset(String charset) {
        return MshHeader.read("MSH|^~\\&|EHR|HOSP|CARELINE|CL|20260101120000||SIU^S12|C1|P|2.5||||||" + charset);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", textBlock = """
            2.2,     2.2
            2.3,     2.3
            2.3.1,   2.3.1
            2.4,     2.4
            2.5,     2.5
            2.5.1,   2.5.1
            2.5.2,   2.5.1
            2.6,     2.6
            2.7,     2.7
            2.7.1,   2.7
            2.8,     2.8
            2.8.1,   2.8
            2.9,     2.8
            2.10,    2.8
            2.3.0,   2.3
            3.0,     null
            1.0,     null
            abc,     null
            2.5a,    null
            2..5,    null
            2.5.1.1.1, null
            """)
    void nearestStructureVersion(String declared, String expected) {
        assertThat(Hl7Receiver.nearestStructureVersion(declared)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void noVersionHasNoStructures(String declared) {
        assertThat(Hl7Receiver.nearestStructureVersion(declared)).isNull();
    }

    @ParameterizedTest(name = "MSH-18 \"{0}\" -> {1}")
    @CsvSource(textBlock = """
            8859/1,          ISO-8859-1
            UNICODE UTF-8,   UTF-8
            unicode utf-8,   UTF-8
            ' UNICODE UTF-8 ', UTF-8
            UTF-8,           UTF-8
            UNICODE,         UTF-8
            ASCII,           US-ASCII
            8859/15,         ISO-8859-15
            8859/2,          ISO-8859-2
            UNICODE UTF-16,  UTF-16
            """)
    void charsetNamedInMsh18(String msh18, String expected) {
        assertThat(Hl7Receiver.charsetOf(headerWithCharset(msh18))).isEqualTo(Charset.forName(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "EBCDIC", "ISO IR6"})
    void unknownOrBlankCharsetIsNone(String msh18) {
        assertThat(Hl7Receiver.charsetOf(headerWithCharset(msh18))).isNull();
    }

    @Test
    void noHeaderNoCharset() {
        assertThat(Hl7Receiver.charsetOf(null)).isNull();
    }

    @Test
    void decodesLatin1WhenMsh18SaysSo() {
        String text = siu("2.5", "8859/1", "JOSÉ");
        assertThat(Hl7Receiver.decode(text.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(text);
    }

    @Test
    void decodesUtf8WhenMsh18SaysSo() {
        String text = siu("2.5", "UNICODE UTF-8", "JOSÉ");
        assertThat(Hl7Receiver.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @Test
    void msh18WinsOverTheBytesLookingLikeUtf8() {
        // "Ã©" in Latin-1 is the UTF-8 byte pair of "é": MSH-18 says Latin-1, so it is two characters.
        String text = siu("2.5", "8859/1", "JOSÃ©");
        assertThat(Hl7Receiver.decode(text.getBytes(StandardCharsets.ISO_8859_1))).contains("DOE^JOSÃ©|");
    }

    @Test
    void withoutMsh18ValidUtf8IsUtf8() {
        String text = siu("2.5", null, "JOSÉ");
        assertThat(Hl7Receiver.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @Test
    void withoutMsh18InvalidUtf8FallsBackToLatin1() {
        String text = siu("2.5", null, "JOSÉ");
        assertThat(Hl7Receiver.decode(text.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(text);
    }

    @Test
    void utf8ByteOrderMarkIsStripped() {
        String text = siu("2.5", null, "JOSÉ");
        assertThat(Hl7Receiver.decode(concat(UTF8_BOM, text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(text);
    }

    @Test
    void utf8ByteOrderMarkIsStrippedWhenMsh18NamesLatin1() {
        String text = siu("2.5", "8859/1", "JOSE");
        assertThat(Hl7Receiver.decode(concat(UTF8_BOM, text.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(text);
    }

    @Test
    void byteOrderMarkIsStrippedByNormalise() {
        assertThat(Hl7Receiver.normalise("\uFEFFMSH|^~\\&|A")).isEqualTo("MSH|^~\\&|A");
        assertThat(Hl7Receiver.normalise("\u00EF\u00BB\u00BFMSH|^~\\&|A")).isEqualTo("MSH|^~\\&|A");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "MSH|a\rPID|b\rPV1|c",
            "MSH|a\nPID|b\nPV1|c",
            "MSH|a\r\nPID|b\r\nPV1|c",
            "MSH|a\r\nPID|b\nPV1|c\r\n",
            "\r\n\nMSH|a\rPID|b\rPV1|c\r\r\n  ",
            "  MSH|a\rPID|b\rPV1|c\n"})
    void normaliseMakesCrTheOnlySeparatorAndTrimsTheEnds(String raw) {
        assertThat(Hl7Receiver.normalise(raw)).isEqualTo("MSH|a\rPID|b\rPV1|c");
    }

    @Test
    void normaliseKeepsEmptySegmentsInside() {
        // A blank line inside a message stays (as an empty segment); only the ends are trimmed.
        assertThat(Hl7Receiver.normalise("MSH|a\n\nPID|b")).isEqualTo("MSH|a\r\rPID|b");
    }

    @ParameterizedTest(name = "v{0} parsed with {1}")
    @CsvSource(textBlock = """
            2.3,   2.3
            2.5,   2.5
            2.5.2, 2.5.1
            2.7.1, 2.7
            2.9,   2.8
            """)
    void parseUsesNearestStructuresButKeepsTheDeclaredVersion(String declared, String structures) throws Exception {
        ReceivedHl7 received = new Hl7Receiver().parse(siu(declared, null, "JANE").getBytes(StandardCharsets.UTF_8));
        assertThat(received.header().version()).isEqualTo(declared);
        assertThat(received.message().getVersion()).isEqualTo(structures);
        assertThat(received.messageType()).isEqualTo("SIU");
        assertThat(received.triggerEvent()).isEqualTo("S12");
        assertThat(new Terser(received.message()).get("/.SCH-2")).isEqualTo("FL1");
        assertThat(new Terser(received.message()).get("/.PID-5-2")).isEqualTo("JANE");
    }

    @Test
    void parseReadsLfSeparatedLatin1Messages() throws Exception {
        String text = siu("2.5", "8859/1", "JOSÉ").replace('\r', '\n');
        ReceivedHl7 received = new Hl7Receiver().parse(text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new Terser(received.message()).get("/.PID-5-2")).isEqualTo("JOSÉ");
        assertThat(new Terser(received.message()).get("/.AIS-3-1")).isEqualTo("CONS");
    }

    @Test
    void textWithoutMshIsRejected() {
        assertThatThrownBy(() -> new Hl7Receiver().parse("garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(ApplicationRejectException.class, e -> {
                    assertThat(e.ackCode()).isEqualTo("AR");
                    assertThat(e.errorCode()).isEqualTo(100);
                    assertThat(e.segment()).isEqualTo("MSH");
                });
    }

    @Test
    void emptyControlIdIsRejected() {
        String text = siu("2.5", null, "JANE").replace("|C1|", "||");
        assertThatThrownBy(() -> new Hl7Receiver().parse(text.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(ApplicationRejectException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(101);
                    assertThat(e.field()).isEqualTo(10);
                });
    }

    @Test
    void nonV2VersionIsRejected() {
        assertThatThrownBy(() -> new Hl7Receiver().parse(siu("3.0", null, "JANE").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(ApplicationRejectException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(203);
                    assertThat(e.segment()).isEqualTo("MSH");
                    assertThat(e.field()).isEqualTo(12);
                });
    }

    @Test
    void unparseableBodyIsRejectedWithoutQuotingIt() {
        String text = siu("2.5", null, "JANE") + "\rXX|SECRET-PHI-123";
        assertThatThrownBy(() -> new Hl7Receiver().parse(text.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(ApplicationRejectException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(102);
                    assertThat(e.getMessage()).doesNotContain("SECRET").doesNotContain("Exception");
                });
    }
}
