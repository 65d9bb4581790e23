package org.careline.ingest.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ACKs Careline answers with, read back both as raw text and through HAPI's own parser. */
class AckBuilderTest {

    private static final HapiContext HAPI = new DefaultHapiContext();
    private static final PipeParser PARSER;

    static {
        HAPI.setValidationContext(ValidationContextFactory.noValidation());
        PARSER = HAPI.getPipeParser();
    }

    @AfterAll
    static void closeHapi() throws Exception {
        HAPI.close();
    }

    private static MshHeader header(String version) {
        return MshHeader.read("MSH|^~\\&|SCHApp|GHHSFacility^2.16.840.1.122848.1.30^ISO|CARELINE|CL|20260101120000"
                + "||SIU^S12^SIU_S12|CTRL-0042|T|" + version);
    }

    private static List<String> segments(String ack) {
        return Arrays.asList(ack.split("\r"));
    }

    /** Field n of the first segment named seg, counted as HL7 does (MSH-1 is the field separator). */
    private static String field(String ack, String seg, int n) {
        for (String s : segments(ack)) {
            if (s.startsWith(seg + "|")) {
                String[] f = s.split("\\|", -1);
                int i = seg.equals("MSH") ? n - 1 : n;
                return i < f.length ? f[i] : "";
            }
        }
        return null;
    }

    private static Message parse(String ack) throws Exception {
        return PARSER.parse(ack);
    }

    @Test
    void acceptAnswersTheSenderAndEchoesTheControlId() throws Exception {
        String ack = AckBuilder.accept(header("2.5"));

        assertThat(ack).startsWith("MSH|^~\\&|").endsWith("\r").doesNotContain("\n");
        assertThat(segments(ack)).extracting(s -> s.substring(0, 3)).containsExactly("MSH", "MSA");
        // The ACK goes back: its sender is the message's receiver and vice versa, HDs echoed whole.
        assertThat(field(ack, "MSH", 3)).isEqualTo("CARELINE");
        assertThat(field(ack, "MSH", 4)).isEqualTo("CL");
        assertThat(field(ack, "MSH", 5)).isEqualTo("SCHApp");
        assertThat(field(ack, "MSH", 6)).isEqualTo("GHHSFacility^2.16.840.1.122848.1.30^ISO");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^S12^ACK");
        assertThat(field(ack, "MSH", 10)).isNotBlank().isNotEqualTo("CTRL-0042");
        assertThat(field(ack, "MSH", 11)).isEqualTo("T");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.5");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(field(ack, "MSA", 2)).isEqualTo("CTRL-0042");

        Terser t = new Terser(parse(ack));
        assertThat(t.get("/MSA-1")).isEqualTo("AA");
        assertThat(t.get("/MSA-2")).isEqualTo("CTRL-0042");
        assertThat(t.get("/MSH-7")).matches("\\d{14}\\.\\d{3}[+-]\\d{4}");
    }

    @Test
    void everyAckHasItsOwnControlId() {
        String a = AckBuilder.accept(header("2.5"));
        String b = AckBuilder.accept(header("2.5"));
        assertThat(field(a, "MSH", 10)).isNotEqualTo(field(b, "MSH", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.3"})
    void beforeV24TheMessageTypeHasNoStructure(String version) {
        assertThat(field(AckBuilder.accept(header(version)), "MSH", 9)).isEqualTo("ACK^S12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5", "2.5.1", "2.6", "2.7", "2.8", "2.9"})
    void fromV25TheErrorGoesInErr2ToErr8(String version) throws Exception {
        String ack = AckBuilder.error(header(version),
                new ApplicationErrorException("Required appointment id missing (looked in SCH-2, SCH-1)", 101, "SCH", 2));

        assertThat(field(ack, "MSH", 12)).isEqualTo(version);
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 2)).isEqualTo("CTRL-0042");
        assertThat(field(ack, "MSA", 3)).isEqualTo("Required appointment id missing (looked in SCH-2, SCH-1)");
        assertThat(field(ack, "ERR", 1)).isEmpty();
        assertThat(field(ack, "ERR", 2)).isEqualTo("SCH^1^2");
        assertThat(field(ack, "ERR", 3)).isEqualTo("101^Required field missing^HL70357");
        assertThat(field(ack, "ERR", 4)).isEqualTo("E");
        assertThat(field(ack, "ERR", 8)).isEqualTo("Required appointment id missing (looked in SCH-2, SCH-1)");

        // HAPI has no 2.9 structures: read that one as 2.8, as Careline itself does with what it receives.
        Terser t = new Terser(parse(version.equals("2.9") ? ack.replace("|2.9\r", "|2.8\r") : ack));
        assertThat(t.get("/ERR-2-1")).isEqualTo("SCH");
        assertThat(t.get("/ERR-2-2")).isEqualTo("1");
        assertThat(t.get("/ERR-2-3")).isEqualTo("2");
        assertThat(t.get("/ERR-3-1")).isEqualTo("101");
        assertThat(t.get("/ERR-3-3")).isEqualTo("HL70357");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.3", "2.3.1", "2.4"})
    void beforeV25TheErrorGoesInErr1(String version) throws Exception {
        String ack = AckBuilder.error(header(version),
                new ApplicationErrorException("Required appointment id missing", 101, "SCH", 2));

        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 2)).isEqualTo("CTRL-0042");
        // ELD: segment ID ^ sequence ^ field position ^ code (CE, as sub-components); nothing after ERR-1.
        assertThat(segments(ack)).contains("ERR|SCH^1^2^101&Required field missing&HL70357");

        Terser t = new Terser(parse(ack));
        assertThat(t.get("/ERR-1-1")).isEqualTo("SCH");
        assertThat(t.get("/ERR-1-3")).isEqualTo("2");
        assertThat(t.get("/ERR-1-4-1")).isEqualTo("101");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.4"})
    void beforeV25AnErrorWithoutAFieldKeepsTheCodeInItsOwnComponent(String version) throws Exception {
        // A parse error names a segment but no field: the code must still be ERR-1.4, not slide into ERR-1.3.
        String ack = AckBuilder.error(header(version),
                new ApplicationRejectException("Message could not be parsed", 102, "PID", 0));
        Terser t = new Terser(parse(ack));
        assertThat(t.get("/ERR-1-1")).isEqualTo("PID");
        assertThat(t.get("/ERR-1-2")).isEqualTo("1");
        assertThat(t.get("/ERR-1-3")).isNull();
        assertThat(t.get("/ERR-1-4-1")).isEqualTo("102");
        assertThat(t.get("/ERR-1-4-2")).isEqualTo("Data type error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.4"})
    void beforeV25AnErrorWithoutALocationKeepsTheCodeInItsOwnComponent(String version) throws Exception {
        String ack = AckBuilder.error(header(version),
                new ApplicationErrorException("Application internal error; please resend", 207, null, 0));
        Terser t = new Terser(parse(ack));
        assertThat(t.get("/ERR-1-1")).isNull();
        assertThat(t.get("/ERR-1-4-1")).isEqualTo("207");
    }

    @Test
    void fromV25AnErrorWithoutALocationHasAnEmptyErr2() {
        String ack = AckBuilder.error(header("2.5"),
                new ApplicationErrorException("Application internal error; please resend", 207, null, 0));
        assertThat(field(ack, "ERR", 2)).isEmpty();
        assertThat(field(ack, "ERR", 3)).isEqualTo("207^Application internal error^HL70357");
    }

    @Test
    void delimitersInTextsAreEscaped() throws Exception {
        String text = "a|b^c&d~e\\f";
        String ack = AckBuilder.error(header("2.5"), new ApplicationRejectException(text, 200, "MSH", 9));

        String escaped = "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f";
        assertThat(field(ack, "MSA", 3)).isEqualTo(escaped);
        assertThat(field(ack, "ERR", 8)).isEqualTo(escaped);
        assertThat(segments(ack)).hasSize(3);

        // ...and a receiver that unescapes gets the text back unchanged.
        Terser t = new Terser(parse(ack));
        assertThat(t.get("/MSA-3")).isEqualTo(text);
        assertThat(t.get("/ERR-8")).isEqualTo(text);
    }

    @Test
    void lineBreaksInTextsDoNotStartNewSegments() {
        String ack = AckBuilder.reply(header("2.5"), "AE", "first line\rsecond line\nthird");
        assertThat(segments(ack)).hasSize(2);
        assertThat(field(ack, "MSA", 3)).isEqualTo("first line second line third");
    }

    @Test
    void escapeHandlesEveryDelimiter() {
        assertThat(AckBuilder.esc("|^&~\\")).isEqualTo("\\F\\\\S\\\\T\\\\R\\\\E\\");
        assertThat(AckBuilder.esc("plain text 123")).isEqualTo("plain text 123");
        assertThat(AckBuilder.esc(null)).isEmpty();
    }

    @Test
    void replyKeepsTheGivenCodeAndText() {
        String ack = AckBuilder.reply(header("2.5"), "AE", "Required start missing");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 2)).isEqualTo("CTRL-0042");
        assertThat(field(ack, "MSA", 3)).isEqualTo("Required start missing");
    }

    @Test
    void ackForAMessageWithoutAHeaderIsStillWellFormed() throws Exception {
        String ack = AckBuilder.error(null,
                new ApplicationRejectException("Message does not start with an MSH segment", 100, "MSH", 0));

        assertThat(ack).startsWith("MSH|^~\\&|").endsWith("\r");
        assertThat(segments(ack)).extracting(s -> s.substring(0, 3)).containsExactly("MSH", "MSA", "ERR");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK");
        assertThat(field(ack, "MSH", 10)).isNotBlank();
        assertThat(field(ack, "MSH", 11)).isEqualTo("P");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.5");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "MSA", 2)).isEmpty();
        assertThat(field(ack, "ERR", 3)).startsWith("100^");

        Message parsed = parse(ack);
        Terser t = new Terser(parsed);
        assertThat(parsed.getVersion()).isEqualTo("2.5");
        assertThat(t.get("/MSA-1")).isEqualTo("AR");
        assertThat(t.get("/ERR-3-1")).isEqualTo("100");

        assertThat(segments(AckBuilder.accept(null))).hasSize(2);
        assertThat(parse(AckBuilder.accept(null))).isNotNull();
    }

    @Test
    void tableTextsFollowHl7Table0357() {
        assertThat(AckBuilder.tableText(101)).isEqualTo("Required field missing");
        assertThat(AckBuilder.tableText(200)).isEqualTo("Unsupported message type");
        assertThat(AckBuilder.tableText(201)).isEqualTo("Unsupported event code");
        assertThat(AckBuilder.tableText(203)).isEqualTo("Unsupported version id");
        assertThat(AckBuilder.tableText(999)).isEqualTo("Error");
    }
}
