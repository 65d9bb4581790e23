package org.careline.ingest.hl7;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new EHR's quirk is a one-line mapping change, the second: this feed marks the patient's mobile with its own
 * use code, HANDY, in XTN-2, and lists the home number first. Both are US numbers, which libphonenumber cannot tell
 * apart, so with the shipped markers the first (home) number is chosen; one word added to pieces.yaml's
 * mobileMarkers makes the marked mobile win, and the booking's confirmation is queued to it.
 */
class SiteMobileCodeQuirkTest {

    /** 14:00 at GH Clinic (America/Detroit); the booking is three days later at 10:00. */
    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final String HOME = "+16082719001";
    private static final String MOBILE = "+16082719000";

    private static String booking() {
        return String.join("\r",
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||SIU^S12|QUIRK2|P|2.5",
                "SCH|PL-Q2|FL-Q2|||||ROUTINE|NORMAL|30|MIN|^^30^203003081000",
                "PID|1||MRN-Q2^^^HOSP^MR||DOE^JANE||19800101|F|||||(608) 271-9001^PRN^PH~(608) 271-9000^HANDY^PH|||en",
                "RGS|1",
                "AIS|1||CONS^Consultation",
                "AIL|1||ROOM1^^^GH Clinic",
                "AIP|1||D1^SMITH^ANNA^^^DR");
    }

    @Test
    void oneWordInPiecesYamlMakesTheFeedsOwnMobileCodeCount() throws Exception {
        assertThat(QuirkFeeds.phoneRead(Path.of("mappings"), booking()))
                .as("shipped markers: HANDY means nothing, first number").isEqualTo(HOME);

        Path mappings = TestMappings.copy();
        String markers = "    mobileMarkers: [CP, MOBILE, MOB, CELL, CELLULAR, CELLPHONE]\n";
        TestMappings.edit(mappings, "pieces.yaml", text -> {
            assertThat(text).contains(markers);
            return text.replace(markers, markers.replace("]", ", HANDY]"));
        });
        assertThat(QuirkFeeds.phoneRead(mappings, booking())).isEqualTo(MOBILE);

        QuirkFeeds.Outcome sent = QuirkFeeds.send(mappings, NOW, booking(), "FL-Q2", MOBILE);
        assertThat(sent.ack()).isEqualTo("AA");
        assertThat(sent.confirmations()).isEqualTo(1);
    }
}
