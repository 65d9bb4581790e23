package org.careline.ingest.hl7;

import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new EHR's quirk is a one-line mapping change, the second: this feed marks the patient's mobile with its own
 * use code, HANDY, in XTN-2, and lists the home number first. Both are US numbers, which libphonenumber cannot tell
 * apart, so with the shipped markers the first (home) number is chosen; one word added to pieces.yaml's
 * mobileMarkers makes the marked mobile win, and the booking's confirmation is queued to it.
 */
class SiteMobileCodeQuirkTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, DETROIT).toInstant();
    private static final String HOME = "+16082719001";
    private static final String MOBILE = "+16082719000";

    private static String booking() {
        String start = DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(NOW.plus(Duration.ofDays(3)).atZone(DETROIT));
        return String.join("\r",
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||SIU^S12|QUIRK2|P|2.5",
                "SCH|PL-Q2|FL-Q2|||||ROUTINE|NORMAL|30|MIN|^^30^" + start,
                "PID|1||MRN-Q2^^^HOSP^MR||DOE^JANE||19800101|F|||||(608) 271-9001^PRN^PH~(608) 271-9000^HANDY^PH|||en",
                "RGS|1",
                "AIS|1||CONS^Consultation",
                "AIL|1||ROOM1^^^GH Clinic",
                "AIP|1||D1^SMITH^ANNA^^^DR");
    }

    private static String phoneRead(Path mappings) throws Exception {
        SiuMapper mapper = new SiuMapper(SiuMapping.load(mappings),
                SiteDirectory.load(mappings, ZoneId.of("America/New_York"), "US"));
        return mapper.map(new Hl7Receiver().parse(booking().getBytes(StandardCharsets.UTF_8))).phoneE164();
    }

    @Test
    void oneWordInPiecesYamlMakesTheFeedsOwnMobileCodeCount() throws Exception {
        assertThat(phoneRead(Path.of("mappings"))).as("shipped markers: HANDY means nothing, first number").isEqualTo(HOME);

        Path mappings = TestMappings.copy();
        String markers = "    mobileMarkers: [CP, MOBILE, MOB, CELL, CELLULAR, CELLPHONE]\n";
        TestMappings.edit(mappings, "pieces.yaml", text -> {
            assertThat(text).contains(markers);
            return text.replace(markers, markers.replace("]", ", HANDY]"));
        });
        assertThat(phoneRead(mappings)).isEqualTo(MOBILE);

        try (EngineFixture fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString()), NOW);
             MllpClient client = fx.mllp()) {
            assertThat(MllpClient.field(client.send(booking()), "MSA", 1)).isEqualTo("AA");
            assertThat(fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                    + "JOIN patient p ON p.id = a.patient_id WHERE a.external_id = 'FL-Q2' "
                    + "AND o.kind = 'CONFIRMATION' AND p.phone_e164 = ?", MOBILE)).isEqualTo(1);
        }
    }
}
