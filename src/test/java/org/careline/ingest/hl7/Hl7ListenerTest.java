package org.careline.ingest.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MLLP listener end to end: real sockets into a running engine (routes/hl7-inbound.yaml), ACKs read off the wire
 * and effects read from the engine's database. One engine for the whole class; every test uses its own control and
 * appointment ids, so tests do not see each other's rows.
 */
class Hl7ListenerTest {

    // A Tuesday at 14:00 in Detroit; appointments are three days later.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final Instant START = NOW.plus(Duration.ofDays(3));
    private static final String SOURCE = "EHR|HOSP";
    private static final Path CORPUS = Path.of("../shared/corpus/hl7");
    private static final String ACCEPTED = "MDM^T02, MDM^T04, ORU^R01, SIU^S12, SIU^S13, SIU^S14, SIU^S15, SIU^S17, SIU^S26";

    private static EngineFixture fx;
    private static HapiContext hapi;

    @BeforeAll
    static void startEngine() throws Exception {
        fx = EngineFixture.start(Map.of(), NOW);
        hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
    }

    @AfterAll
    static void stopEngine() throws Exception {
        try {
            if (hapi != null) {
                hapi.close();
            }
        } finally {
            if (fx != null) {
                fx.close();
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static String send(MllpClient client, String message) throws IOException {
        return checked(client.send(message));
    }

    private static String send(MllpClient client, byte[] message) throws IOException {
        return checked(client.send(message));
    }

    /** Every ACK is a single HL7 message with no internals in it: no exception names, no stack frames. */
    private static String checked(String ack) {
        assertThat(ack).startsWith("MSH|^~\\&|");
        assertThat(ack).doesNotContain("Exception", "at org.", "at ca.uhn.", "at java.", "\tat ", "\n");
        assertThat(MllpClient.field(ack, "MSA", 1)).as("MSA-1 of %s", ack).isNotNull();
        return ack;
    }

    private static String msa(String ack, int n) {
        return MllpClient.field(ack, "MSA", n);
    }

    private static String err(String ack, int n) {
        return MllpClient.field(ack, "ERR", n);
    }

    /** The connection still takes a message: a new booking on it gets AA. */
    private static void assertStillUsable(MllpClient client) throws Exception {
        Siu siu = Siu.booking(START);
        String ack = send(client, siu.build());
        assertThat(msa(ack, 1)).isEqualTo("AA");
        assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
        assertThat(appointment(SOURCE, siu.fillerId())).isNotNull();
        assertThat(client.isOpen()).isTrue();
    }

    private static Map<String, Object> appointment(String source, String externalId) throws SQLException {
        List<Map<String, Object>> rows = fx.query(
                "SELECT * FROM appointment WHERE source = ? AND external_id = ?", source, externalId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Map<String, Object> patientOf(Map<String, Object> appointment) throws SQLException {
        return fx.query("SELECT * FROM patient WHERE id = ?", appointment.get("PATIENT_ID")).get(0);
    }

    private static long inboundRows(String sender, String controlId) throws SQLException {
        return fx.count("SELECT COUNT(*) FROM inbound_message WHERE sender = ? AND control_id = ?", sender, controlId);
    }

    private static long eventRows(String source, String externalId) throws SQLException {
        return fx.count("SELECT COUNT(*) FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id "
                + "WHERE a.source = ? AND a.external_id = ?", source, externalId);
    }

    private static List<String> outboxRows(String source, String externalId) throws SQLException {
        return fx.query("SELECT o.id, o.kind, o.label, o.due_at FROM outbox o JOIN appointment a "
                        + "ON a.id = o.appointment_id WHERE a.source = ? AND a.external_id = ? ORDER BY o.id",
                source, externalId).stream().map(r -> r.get("ID") + "/" + r.get("KIND") + "/" + r.get("LABEL")
                + "/" + instant(r.get("DUE_AT"))).toList();
    }

    private static Instant instant(Object timestamp) {
        return timestamp == null ? null : ((OffsetDateTime) timestamp).toInstant();
    }

    private static String hl7Time(Instant t) {
        return DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").format(t.atZone(ZoneId.of("America/Detroit")));
    }

    private static String otherMessage(String type, String controlId) {
        return String.join("\r",
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20260101120000||" + type + "|" + controlId + "|P|2.5",
                "EVN|A01|20260101120000",
                "PID|1||MRN9^^^HOSP^MR||DOE^JOHN||19800101|M",
                "PV1|1|O");
    }

    // --- pipelining -------------------------------------------------------------------------------------------

    @Test
    void pipelinedMessagesEachGetTheirOwnAckInOrder() throws Exception {
        // CAMEL-24668: camel-mllp 4.17 dropped every frame after the first in one TCP read (see ingest/hl7/mllp).
        List<Siu> sius = List.of(Siu.booking(START), Siu.booking(START.plusSeconds(3600)),
                Siu.booking(START.plusSeconds(7200)));
        try (MllpClient client = fx.mllp()) {
            List<String> acks = client.pipeline(sius.stream().map(Siu::build).toList());

            assertThat(acks).hasSize(3);
            for (int i = 0; i < 3; i++) {
                checked(acks.get(i));
                assertThat(msa(acks.get(i), 1)).isEqualTo("AA");
                assertThat(msa(acks.get(i), 2)).isEqualTo(sius.get(i).controlId());
            }
            for (Siu siu : sius) {
                assertThat(appointment(SOURCE, siu.fillerId())).isNotNull();
            }
            assertThat(instant(appointment(SOURCE, sius.get(2).fillerId()).get("START_AT")))
                    .isEqualTo(START.plusSeconds(7200));
            assertStillUsable(client);
        }
    }

    @Test
    void pipelinedErrorInTheMiddleIsAnsweredInItsPlace() throws Exception {
        Siu first = Siu.booking(START);
        Siu bad = Siu.booking(START).fillerId("").placerId("");
        Siu last = Siu.booking(START);
        try (MllpClient client = fx.mllp()) {
            List<String> acks = client.pipeline(List.of(first.build(), bad.build(), last.build()));

            assertThat(acks).extracting(a -> msa(checked(a), 1)).containsExactly("AA", "AE", "AA");
            assertThat(acks).extracting(a -> msa(a, 2))
                    .containsExactly(first.controlId(), bad.controlId(), last.controlId());
            assertThat(appointment(SOURCE, first.fillerId())).isNotNull();
            assertThat(appointment(SOURCE, last.fillerId())).isNotNull();
        }
    }

    // --- malformed input --------------------------------------------------------------------------------------

    @Test
    void garbageIsRejectedAndTheConnectionStaysUsable() throws Exception {
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, "garbage".getBytes(StandardCharsets.US_ASCII));

            assertThat(msa(ack, 1)).isEqualTo("AR");
            assertThat(msa(ack, 2)).isEmpty();
            assertThat(ack).contains("\rERR|");
            assertThat(err(ack, 3)).startsWith("100^");
            assertStillUsable(client);
        }
    }

    @Test
    void emptyAndTinyFramesAreRejectedAndTheConnectionStaysUsable() throws Exception {
        try (MllpClient client = fx.mllp()) {
            for (String payload : List.of("", "\r", "\r\n", "   ", "MSH")) {
                String ack = send(client, payload.getBytes(StandardCharsets.US_ASCII));

                assertThat(msa(ack, 1)).as("ACK of %s", payload.replace("\r", "CR").replace("\n", "LF"))
                        .isEqualTo("AR");
                assertThat(err(ack, 3)).startsWith("100^");
            }
            assertStillUsable(client);
        }
    }

    @Test
    void mshWithUnparseableBodyIsRejectedByControlId() throws Exception {
        Siu siu = Siu.booking(START);
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build() + "\rXX|SECRET-CONTENT|1");

            assertThat(msa(ack, 1)).isIn("AR", "AE");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
            assertThat(err(ack, 3)).startsWith("102^");
            assertThat(ack).doesNotContain("SECRET-CONTENT");
            assertThat(appointment(SOURCE, siu.fillerId())).isNull();
            assertStillUsable(client);
        }
    }

    @Test
    void emptyControlIdAndForeignVersionAreRejected() throws Exception {
        try (MllpClient client = fx.mllp()) {
            String noControlId = send(client, Siu.booking(START).controlId("").build());
            assertThat(msa(noControlId, 1)).isEqualTo("AR");
            assertThat(err(noControlId, 2)).isEqualTo("MSH^1^10");
            assertThat(err(noControlId, 3)).startsWith("101^");

            Siu v3 = Siu.booking(START).version("3.0");
            String foreign = send(client, v3.build());
            assertThat(msa(foreign, 1)).isEqualTo("AR");
            assertThat(msa(foreign, 2)).isEqualTo(v3.controlId());
            assertThat(err(foreign, 2)).isEqualTo("MSH^1^12");
            assertThat(err(foreign, 3)).startsWith("203^");
            assertStillUsable(client);
        }
    }

    // --- required fields --------------------------------------------------------------------------------------

    @Test
    void missingAppointmentIdIsAnApplicationErrorNamingSch2() throws Exception {
        Siu siu = Siu.booking(START).fillerId("").placerId("");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build());

            assertThat(msa(ack, 1)).isEqualTo("AE");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
            assertThat(err(ack, 2)).isEqualTo("SCH^1^2");
            assertThat(err(ack, 3)).isEqualTo("101^Required field missing^HL70357");
            assertThat(err(ack, 4)).isEqualTo("E");
            assertThat(err(ack, 8)).contains("appointment id");
            assertThat(fx.query("SELECT ack_code FROM inbound_message WHERE sender = ? AND control_id = ?",
                    SOURCE, siu.controlId())).extracting(r -> r.get("ACK_CODE")).containsExactly("AE");
            assertStillUsable(client);
        }
    }

    @Test
    void missingStartIsAnApplicationErrorNamingTq1() throws Exception {
        Siu siu = Siu.booking(START).rawStart("");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build());

            assertThat(msa(ack, 1)).isEqualTo("AE");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
            assertThat(err(ack, 2)).isEqualTo("TQ1^1^7");
            assertThat(err(ack, 3)).startsWith("101^");
            assertThat(appointment(SOURCE, siu.fillerId())).isNull();
            assertStillUsable(client);
        }
    }

    @Test
    void v23ErrorUsesErr1() throws Exception {
        Siu siu = Siu.booking(START).version("2.3").fillerId("").placerId("");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build());

            assertThat(msa(ack, 1)).isEqualTo("AE");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
            assertThat(MllpClient.field(ack, "MSH", 12)).isEqualTo("2.3");
            assertThat(err(ack, 1)).isEqualTo("SCH^1^2^101&Required field missing&HL70357");
            assertThat(err(ack, 2)).as("no v2.5 fields in a v2.3 ERR").isNull();

            // An error located by segment only keeps its code in ERR-1.4 (the field position stays empty).
            Siu broken = Siu.booking(START).version("2.3");
            String parseError = send(client, broken.build() + "\rXX|junk");
            assertThat(msa(parseError, 1)).isEqualTo("AR");
            assertThat(msa(parseError, 2)).isEqualTo(broken.controlId());
            assertThat(err(parseError, 1)).isEqualTo("MSH^1^^102&Data type error&HL70357");
            assertStillUsable(client);
        }
    }

    // --- message types ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ADT^A01", "ORM^O01"})
    void otherMessageTypesAreRejectedWith200(String type) throws Exception {
        String controlId = "T" + System.nanoTime();
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, otherMessage(type, controlId));

            assertThat(msa(ack, 1)).isEqualTo("AR");
            assertThat(msa(ack, 2)).isEqualTo(controlId);
            assertThat(msa(ack, 3)).contains(type.replace("^", "\\S\\")).contains(ACCEPTED.replace("^", "\\S\\"));
            assertThat(err(ack, 2)).isEqualTo("MSH^1^9");
            assertThat(err(ack, 3)).isEqualTo("200^Unsupported message type^HL70357");
            assertThat(err(ack, 8)).contains(ACCEPTED.replace("^", "\\S\\"));
            assertStillUsable(client);
        }
    }

    @Test
    void unconfiguredSiuTriggerIsRejectedWith201() throws Exception {
        Siu siu = Siu.booking(START).trigger("S16");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build());

            assertThat(msa(ack, 1)).isEqualTo("AR");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
            assertThat(err(ack, 3)).isEqualTo("201^Unsupported event code^HL70357");
            assertThat(err(ack, 8)).contains("S16");
            assertThat(appointment(SOURCE, siu.fillerId())).isNull();
            assertStillUsable(client);
        }
    }

    // --- duplicates -------------------------------------------------------------------------------------------

    @Test
    void resendOfAnAcceptedMessageHasNoSecondEffect() throws Exception {
        Siu siu = Siu.booking(START);
        String message = siu.build();
        String first;
        try (MllpClient client = fx.mllp()) {
            first = send(client, message);
        }
        List<String> outboxBefore = outboxRows(SOURCE, siu.fillerId());

        String second;
        try (MllpClient client = fx.mllp()) { // a resend typically comes on a new connection
            second = send(client, message);
            assertStillUsable(client);
        }

        assertThat(msa(first, 1)).isEqualTo("AA");
        assertThat(msa(second, 1)).isEqualTo("AA");
        assertThat(msa(second, 2)).isEqualTo(siu.controlId());
        assertThat(inboundRows(SOURCE, siu.controlId())).isEqualTo(1);
        assertThat(eventRows(SOURCE, siu.fillerId())).isEqualTo(1);
        assertThat(outboxBefore).isNotEmpty();
        assertThat(outboxRows(SOURCE, siu.fillerId())).isEqualTo(outboxBefore);
    }

    @Test
    void resendOfAnErroredMessageGetsTheSameCode() throws Exception {
        Siu siu = Siu.booking(START).rawStart("");
        try (MllpClient client = fx.mllp()) {
            String first = send(client, siu.build());
            String second = send(client, siu.build());

            assertThat(msa(first, 1)).isEqualTo("AE");
            assertThat(msa(second, 1)).isEqualTo("AE");
            assertThat(msa(second, 2)).isEqualTo(siu.controlId());
            assertThat(msa(second, 3)).isEqualTo(msa(first, 3));
            assertThat(errSegment(second)).as("the resend gets the same ERR").isEqualTo(errSegment(first))
                    .startsWith("ERR||TQ1^1^7|101^");
            assertThat(inboundRows(SOURCE, siu.controlId())).isEqualTo(1);
            assertThat(appointment(SOURCE, siu.fillerId())).isNull();
        }
    }

    @Test
    void resendOfARejectedMessageGetsTheSameCode() throws Exception {
        String controlId = "T" + System.nanoTime();
        try (MllpClient client = fx.mllp()) {
            String first = send(client, otherMessage("ADT^A01", controlId));
            String second = send(client, otherMessage("ADT^A01", controlId));

            assertThat(msa(first, 1)).isEqualTo("AR");
            assertThat(msa(second, 1)).isEqualTo("AR");
            assertThat(errSegment(second)).isEqualTo(errSegment(first)).contains("|200^");
            assertThat(inboundRows(SOURCE, controlId)).isEqualTo(1);
        }
    }

    private static String errSegment(String ack) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("ERR|")) {
                return segment;
            }
        }
        return null;
    }

    @Test
    void sameControlIdFromTwoSendersIsTwoMessages() throws Exception {
        String controlId = "SHARED-" + System.nanoTime();
        Siu a = Siu.booking(START).sendingApp("EHR-A").controlId(controlId);
        Siu b = Siu.booking(START).sendingApp("EHR-B").controlId(controlId);
        try (MllpClient client = fx.mllp()) {
            assertThat(msa(send(client, a.build()), 1)).isEqualTo("AA");
            assertThat(msa(send(client, b.build()), 1)).isEqualTo("AA");
        }
        assertThat(appointment("EHR-A|HOSP", a.fillerId())).isNotNull();
        assertThat(appointment("EHR-B|HOSP", b.fillerId())).isNotNull();
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_message WHERE control_id = ?", controlId)).isEqualTo(2);
    }

    // --- separators and charsets ------------------------------------------------------------------------------

    @ParameterizedTest(name = "separator {index}")
    @ValueSource(strings = {"\n", "\r\n"})
    void lfAndCrLfSeparatedMessagesAreAcceptedAndRead(String separator) throws Exception {
        Siu siu = Siu.booking(START).separator(separator).note("Bring your insurance card").language("spa");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, siu.build());
            assertThat(msa(ack, 1)).isEqualTo("AA");
            assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
        }
        Map<String, Object> a = appointment(SOURCE, siu.fillerId());
        assertThat(a).isNotNull();
        assertThat(instant(a.get("START_AT"))).isEqualTo(START);
        assertThat(a.get("DURATION_MIN")).isEqualTo(30);
        assertThat(a.get("SITE_CODE")).isEqualTo("gh-clinic");
        assertThat(a.get("SERVICE_CODE")).isEqualTo("CONS");
        assertThat(a.get("SERVICE_NAME")).isEqualTo("Consultation");
        assertThat(a.get("PROVIDER_NAME")).isEqualTo("Dr Anna Smith");
        assertThat(a.get("LOCATION_NAME")).isEqualTo("ROOM1, GH Clinic");
        assertThat(a.get("INSTRUCTIONS")).isEqualTo("Bring your insurance card");
        Map<String, Object> p = patientOf(a);
        assertThat(p.get("GIVEN_NAME")).isEqualTo("JANE");
        assertThat(p.get("FAMILY_NAME")).isEqualTo("DOE");
        assertThat(p.get("PHONE_E164")).isEqualTo("+16082719000");
        assertThat(p.get("LANGUAGE")).isEqualTo("es");
    }

    @ParameterizedTest(name = "MSH-18 \"{0}\", bytes {1}")
    @CsvSource(textBlock = """
            8859/1,        ISO-8859-1
            UNICODE UTF-8, UTF-8
            '',            UTF-8
            '',            ISO-8859-1
            """)
    void charsetFromMsh18OrTheBytes(String msh18, String bytesCharset) throws Exception {
        Siu siu = Siu.booking(START).charset(msh18);
        String text = siu.build().replace("DOE^JANE^Q", "MUÑOZ^JOSÉ^Q");
        assertThat(text).contains("JOSÉ");
        try (MllpClient client = fx.mllp()) {
            String ack = send(client, text.getBytes(Charset.forName(bytesCharset)));
            assertThat(msa(ack, 1)).isEqualTo("AA");
        }
        Map<String, Object> p = patientOf(appointment(SOURCE, siu.fillerId()));
        assertThat(p.get("GIVEN_NAME")).isEqualTo("JOSÉ");
        assertThat(p.get("FAMILY_NAME")).isEqualTo("MUÑOZ");
    }

    @Test
    void msh18Latin1IsHonouredEvenWhenTheBytesAreAlsoValidUtf8() throws Exception {
        // "Ã©" in ISO-8859-1 is C3 A9, which is also UTF-8 for "é": only MSH-18 tells the two readings apart.
        Siu siu = Siu.booking(START).charset("8859/1");
        String text = siu.build().replace("DOE^JANE^Q", "DOE^JOSÃ©^Q");
        try (MllpClient client = fx.mllp()) {
            assertThat(msa(send(client, text.getBytes(StandardCharsets.ISO_8859_1)), 1)).isEqualTo("AA");
        }
        assertThat(patientOf(appointment(SOURCE, siu.fillerId())).get("GIVEN_NAME")).isEqualTo("JOSÃ©");
    }

    // --- versions ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "v{0}")
    @ValueSource(strings = {"2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.9", "2.5.2"})
    void everyV2VersionIsAccepted(String version) throws Exception {
        Siu siu = Siu.booking(START).version(version);
        if (version.equals("2.2")) {
            siu.phone("(608)271-9000"); // PID-13 is a plain TN in 2.2
        }
        boolean tq1 = version.compareTo("2.7") >= 0;
        if (tq1) {
            siu.rawStart(""); // SCH-11 is withdrawn from 2.7: the start is only in TQ1-7
        }
        String text = siu.build();
        if (tq1) {
            text = text.replaceFirst("(SCH\\|[^\r]*)\r", "$1\rTQ1|1||||||" + hl7Time(START) + "\r");
            assertThat(text).contains("\rTQ1|1||||||");
        }
        String ack;
        try (MllpClient client = fx.mllp()) {
            ack = send(client, text);
        }

        assertThat(msa(ack, 1)).isEqualTo("AA");
        assertThat(msa(ack, 2)).isEqualTo(siu.controlId());
        assertThat(MllpClient.field(ack, "MSH", 12)).isEqualTo(version);
        assertThat(MllpClient.field(ack, "MSH", 9))
                .isEqualTo(version.compareTo("2.4") >= 0 ? "ACK^S12^ACK" : "ACK^S12");
        Map<String, Object> a = appointment(SOURCE, siu.fillerId());
        assertThat(a).as("appointment of a v%s message", version).isNotNull();
        assertThat(instant(a.get("START_AT"))).isEqualTo(START);
        assertThat(a.get("SITE_CODE")).isEqualTo("gh-clinic");
        assertThat(patientOf(a).get("PHONE_E164")).isEqualTo("+16082719000");
        assertThat(eventRows(SOURCE, siu.fillerId())).isEqualTo(1);
    }

    // --- reachability -----------------------------------------------------------------------------------------

    @Test
    void patientWithoutANumberIsStoredUnreachableWithNothingToSend() throws Exception {
        Siu siu = Siu.booking(START).phone("");
        assertThat(siu.build()).contains("F|||1 Main St^^Detroit^MI^48201||||en");
        try (MllpClient client = fx.mllp()) {
            assertThat(msa(send(client, siu.build()), 1)).isEqualTo("AA");
        }
        Map<String, Object> a = appointment(SOURCE, siu.fillerId());
        assertThat(a.get("REACHABLE")).isEqualTo(false);
        assertThat(a.get("STATUS")).isEqualTo("BOOKED");
        assertThat(patientOf(a).get("PHONE_E164")).isNull();
        assertThat(outboxRows(SOURCE, siu.fillerId())).isEmpty();

        // ...whereas the same booking with a number is reachable and has messages planned.
        Siu reachable = Siu.booking(START);
        try (MllpClient client = fx.mllp()) {
            assertThat(msa(send(client, reachable.build()), 1)).isEqualTo("AA");
        }
        assertThat(appointment(SOURCE, reachable.fillerId()).get("REACHABLE")).isEqualTo(true);
        assertThat(outboxRows(SOURCE, reachable.fillerId())).isNotEmpty();
    }

    // --- one connection through every kind of error -------------------------------------------------------------

    @Test
    void oneConnectionSurvivesEveryKindOfError() throws Exception {
        Siu duplicate = Siu.booking(START);
        List<String> codes = new ArrayList<>();
        try (MllpClient client = fx.mllp()) {
            codes.add(msa(send(client, "garbage".getBytes(StandardCharsets.US_ASCII)), 1));
            codes.add(msa(send(client, Siu.booking(START).build() + "\rXX|junk"), 1));
            codes.add(msa(send(client, Siu.booking(START).fillerId("").placerId("").build()), 1));
            codes.add(msa(send(client, Siu.booking(START).rawStart("").build()), 1));
            codes.add(msa(send(client, Siu.booking(START).version("2.3").fillerId("").placerId("").build()), 1));
            codes.add(msa(send(client, otherMessage("ADT^A01", "T" + System.nanoTime())), 1));
            codes.add(msa(send(client, Siu.booking(START).trigger("S16").build()), 1));
            codes.add(msa(send(client, duplicate.build()), 1));
            codes.add(msa(send(client, duplicate.build()), 1));
            assertStillUsable(client);
        }
        assertThat(codes).containsExactly("AR", "AR", "AE", "AE", "AE", "AR", "AR", "AA", "AA");
    }

    // --- corpus -----------------------------------------------------------------------------------------------

    static Stream<Arguments> corpusFiles() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return Stream.of(Arguments.of(Named.of("corpus absent", (Path) null)));
        }
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.getFileName().toString().matches("siu-.*\\.hl7"))
                    .sorted()
                    .map(f -> Arguments.of(Named.of(f.getFileName().toString(), f)))
                    .toList().stream();
        }
    }

    private static final Set<String> ACCEPTED_TRIGGERS = Set.of("S12", "S13", "S14", "S15", "S17", "S26");

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void corpusMessageThroughHapisOwnClient(Path file) throws Exception {
        assumeTrue(file != null, "../shared/corpus/hl7 is absent");

        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        text = text.replace("\r\n", "\r").replace('\n', '\r');
        // Every siu-*.hl7 file of the corpus parses with HAPI (structures of the file's own version, no
        // validation), so all of them go through HAPI's client; none needs the MllpClient fallback.
        Message message = hapi.getPipeParser().parse(text);
        Terser in = new Terser(message);
        String trigger = in.get("/MSH-9-2");
        String sender = in.get("/MSH-3-1") + "|" + in.get("/MSH-4-1");
        String externalId = in.get("/.SCH-2-1") != null ? in.get("/.SCH-2-1") : in.get("/.SCH-1-1");
        // Samples from one source reuse control ids across different messages (MSG00012 in two S12s, one id in the
        // Renalware S13 and S14): taken as they are, a later file would be a resend and answered without effect.
        // Each file gets its own MSH-10 so that every file's content is processed; resends are tested above.
        String controlId = in.get("/MSH-10") + "-" + file.getFileName().toString().replace(".hl7", "");
        in.set("/MSH-10", controlId);

        Message reply;
        Connection connection = hapi.newClient("localhost", fx.mllpPort(), false);
        try {
            connection.getInitiator().setTimeout(10, TimeUnit.SECONDS);
            reply = connection.getInitiator().sendAndReceive(message);
        } finally {
            connection.close();
        }

        Terser ack = new Terser(reply);
        assertThat(ack.get("/MSA-2")).isEqualTo(controlId);
        assertThat(ack.get("/MSH-12")).isEqualTo(in.get("/MSH-12"));
        assertThat(ack.get("/MSH-5")).isEqualTo(in.get("/MSH-3"));
        checked(reply.encode());
        if (ACCEPTED_TRIGGERS.contains(trigger)) {
            assertThat(ack.get("/MSA-1")).as("ACK %s", reply.encode()).isEqualTo("AA");
            assertThat(externalId).isNotBlank();
            assertThat(appointment(sender, externalId)).as("appointment %s of %s", externalId, sender).isNotNull();
            List<Map<String, Object>> events = fx.query("SELECT e.event_type FROM appointment_event e "
                    + "JOIN inbound_message i ON i.id = e.inbound_id JOIN appointment a ON a.id = e.appointment_id "
                    + "WHERE i.sender = ? AND i.control_id = ? AND a.source = ? AND a.external_id = ?",
                    sender, controlId, sender, externalId);
            assertThat(events).extracting(r -> r.get("EVENT_TYPE")).containsExactly(trigger);
        } else {
            assertThat(trigger).isEqualTo("S16");
            assertThat(ack.get("/MSA-1")).isEqualTo("AR");
            assertThat(ack.get("/ERR-3-1")).isEqualTo("201");
            assertThat(fx.count("SELECT COUNT(*) FROM appointment_event e JOIN inbound_message i "
                    + "ON i.id = e.inbound_id WHERE i.sender = ? AND i.control_id = ?", sender, controlId)).isZero();
        }
    }
}
