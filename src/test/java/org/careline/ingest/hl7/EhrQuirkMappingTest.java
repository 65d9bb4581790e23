package org.careline.ingest.hl7;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new EHR's quirk is a one-line mapping change: this one sends the patient's home landline in PID-13 and their
 * mobile only as the second repetition of PID-14. The shipped phones piece settles on PID-13 (it holds a valid
 * number, a landline, which WhatsApp cannot reach), so the patient is unreachable; one line in pieces.yaml reads
 * PID-14's second repetition first, and the booking's confirmation is queued to the mobile.
 */
class EhrQuirkMappingTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, DETROIT).toInstant();
    private static final String MOBILE = "+16082719000";

    /** A booking three days ahead at GH Clinic: home landline (London) in PID-13, work landline and mobile in PID-14. */
    private static String booking() {
        String start = DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(NOW.plus(Duration.ofDays(3)).atZone(DETROIT));
        return String.join("\r",
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||SIU^S12|QUIRK1|P|2.5",
                "SCH|PL-Q1|FL-Q1|||||ROUTINE|NORMAL|30|MIN|^^30^" + start,
                "PID|1||MRN-Q1^^^HOSP^MR||DOE^JANE||19800101|F|||||+44 20 7377 7000^PRN^PH"
                        + "|+44 20 7377 7001^WPN^PH~^ORN^CP^^1^608^2719000|en",
                "RGS|1",
                "AIS|1||CONS^Consultation",
                "AIL|1||ROOM1^^^GH Clinic",
                "AIP|1||D1^SMITH^ANNA^^^DR");
    }

    @Test
    void oneLineInPiecesYamlReadsTheMobileFromPid14sSecondRepetition() throws Exception {
        assertThat(QuirkFeeds.phoneRead(Path.of("mappings"), booking()))
                .as("shipped mappings: PID-13's landline, unreachable").isNull();

        Path mappings = TestMappings.copy();
        String phones = "    phones:\n";
        TestMappings.edit(mappings, "pieces.yaml", text -> {
            assertThat(text).contains(phones + "      - path: /.PID-13\n");
            return text.replace(phones, phones + "      - { path: /.PID-14, repetition: 2 }\n");
        });
        assertThat(QuirkFeeds.phoneRead(mappings, booking())).isEqualTo(MOBILE);

        QuirkFeeds.Outcome sent = QuirkFeeds.send(mappings, NOW, booking(), "FL-Q1", MOBILE);
        assertThat(sent.ack()).isEqualTo("AA");
        assertThat(sent.confirmations()).isEqualTo(1);
    }
}
