package org.careline.ingest.hl7;

import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.support.TestMappings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time datatype of pieces.yaml decides how siu.yaml's start is read: in which zone a value without an offset
 * is, and how precise a value must be to count (a less precise one is passed over for the next source).
 */
class TimePieceTest {

    /** TQ1-7 gives only the day; AIS-4 the time to the minute; GH Clinic is in America/Detroit. */
    private static final String BOOKING = String.join("\r",
            "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||SIU^S12|TIME1|P|2.5",
            "SCH|PL-T1|FL-T1|||||ROUTINE|NORMAL|30|MIN",
            "TQ1|1||||||20300308",
            "PID|1||MRN-T1^^^HOSP^MR||DOE^JANE||19800101|F|||||(608) 271-9000^PRN^CP|||en",
            "RGS|1",
            "AIS|1||CONS^Consultation|203003080930",
            "AIL|1||ROOM1^^^GH Clinic",
            "AIP|1||D1^SMITH^ANNA^^^DR");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            as shipped: the day counts, site zone | '    zone: site\\n    precision: year' | 2030-03-08T05:00:00Z
            to the minute: TQ1-7 passed over      | '    zone: site\\n    precision: minute' | 2030-03-08T14:30:00Z
            a feed that sends UTC                 | '    zone: UTC\\n    precision: minute'  | 2030-03-08T09:30:00Z
            """)
    void theTimeDatatypeDecidesTheStart(String what, String time, Instant start) throws Exception {
        Path mappings = TestMappings.copy();
        String shipped = "    zone: site\n    precision: year\n";
        TestMappings.edit(mappings, "pieces.yaml", text -> {
            assertThat(text).contains(shipped);
            return text.replace(shipped, time.replace("\\n", "\n") + "\n");
        });
        SiuMapper mapper = new SiuMapper(SiuMapping.load(mappings),
                SiteDirectory.load(mappings, ZoneId.of("America/New_York"), "US"));
        assertThat(mapper.map(new Hl7Receiver().parse(BOOKING.getBytes(StandardCharsets.UTF_8))).start())
                .as(what).isEqualTo(start);
    }
}
