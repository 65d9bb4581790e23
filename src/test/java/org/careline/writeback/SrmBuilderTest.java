package org.careline.writeback;

import org.careline.model.WritebackSubject;
import org.careline.model.WritebackAction;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import org.careline.config.WritebackMapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The message of each action in each version, built from the project's mappings/writeback.yaml and parsed back. */
class SrmBuilderTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static SrmBuilder builder;
    private static HapiContext hapi;

    @BeforeAll
    static void load() {
        builder = new SrmBuilder(WritebackMapping.load(Path.of("mappings")));
        hapi = new DefaultHapiContext(); // HAPI's default validation: the result must pass it
        hapi.getParserConfiguration().setAllowUnknownVersions(true);
    }

    private static WritebackSubject subject(String version) {
        return new WritebackSubject("EHR|HOSP", version, "APT-9", "PL-7", "APT-9", "MRN42", "HOSP", "Jane", "Doe",
                Instant.parse("2030-03-08T19:00:00Z"), 30, "CONS", "Consultation");
    }

    static Stream<Arguments> actionsAndVersions() {
        List<Arguments> rows = new ArrayList<>();
        Object[][] actions = {{WritebackAction.CONFIRM, "S03", "Patient confirmed via WhatsApp"},
                {WritebackAction.CHANGE, "S02", "Patient asked via WhatsApp for another time"},
                {WritebackAction.CANCEL, "S04", "Patient cancelled via WhatsApp"}};
        for (Object[] a : actions) {
            for (String v : List.of("2.3", "2.4", "2.5.1", "2.8")) {
                rows.add(Arguments.of(a[0], v, a[1], a[2]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} in v{1} is SRM^{2}")
    @MethodSource("actionsAndVersions")
    void eachActionInEachVersion(WritebackAction action, String version, String trigger, String text) throws Exception {
        String er7 = builder.build(action, subject(version), "CLW0001", NOW);
        assertThat(er7).doesNotContain("\n").startsWith("MSH|^~\\&|CARELINE|CL|EHR|HOSP|");

        Message m = hapi.getPipeParser().parse(er7);
        assertThat(m.getVersion()).isEqualTo(version);
        // HAPI's v2.3 has a class per SRM trigger; from v2.3.1 on MSH-9.3 names the shared structure.
        assertThat(m.getName()).isEqualTo(version.equals("2.3") ? "SRM_" + trigger : "SRM_S01");
        Terser t = new Terser(m);
        assertThat(t.get("/MSH-9-1")).isEqualTo("SRM");
        assertThat(t.get("/MSH-9-2")).isEqualTo(trigger);
        // MSH-9.3 (message structure) exists from v2.3.1 on.
        assertThat(MllpField.of(er7, "MSH", 9)).isEqualTo(version.equals("2.3") ? "SRM^" + trigger : "SRM^" + trigger + "^SRM_S01");
        assertThat(t.get("/MSH-10")).isEqualTo("CLW0001");
        assertThat(t.get("/MSH-11-1")).isEqualTo("P");
        assertThat(t.get("/MSH-12")).isEqualTo(version);
        assertThat(t.get("/MSH-7")).isEqualTo("20300305190000+0000");
        assertThat(MllpField.of(er7, "MSH", 18)).isNull(); // plain ASCII: no charset declared
        assertThat(t.get("/ARQ-1-1")).isEqualTo("PL-7");
        assertThat(t.get("/ARQ-2-1")).isEqualTo("APT-9");
        assertThat(t.get("/ARQ-6-2")).isEqualTo(text);
        assertThat(t.get("/NTE-3")).isEqualTo(text);
        assertThat(t.get("/.PID-3-1")).isEqualTo("MRN42");
        assertThat(t.get("/.PID-3-4-1")).isEqualTo("HOSP");
        assertThat(t.get("/.RGS-1")).isEqualTo("1");
        // Only the patient's identifier leaves Careline, not their name.
        assertThat(er7).doesNotContain("Jane").doesNotContain("Doe");
    }

    @ParameterizedTest(name = "feed version ''{0}'' → structures {1}, MSH-12 {2}")
    @CsvSource(nullValues = "null", value = {
            "2.7.1, 2.7, 2.7.1",   // no structures for 2.7.1: the nearest older, as incoming messages are parsed
            "2.9, 2.8, 2.9",
            "2.2, 2.3, 2.3",       // HAPI's v2.2 has no SRM_S01: the nearest version that has it, declared as such
            "null, 2.5, 2.5",      // unknown: 2.5
            "'', 2.5, 2.5",
            "3.0, 2.5, 2.5",
            "2.5.1, 2.5.1, 2.5.1"})
    void versionFollowsTheFeed(String feed, String structures, String declared) throws Exception {
        assertThat(builder.version(feed, "SRM_S01")).isEqualTo(new SrmBuilder.Version(structures, declared));
        String er7 = builder.build(WritebackAction.CANCEL, subject(feed), "C1", NOW);
        assertThat(MllpField.of(er7, "MSH", 12)).isEqualTo(declared);
        // Parsed with the structures it was built with (HAPI itself refuses an MSH-12 it has none for).
        Terser t = new Terser(hapi.getPipeParser().parse(er7.replace("|P|" + declared, "|P|" + structures)));
        assertThat(t.get("/ARQ-1-1")).isEqualTo("PL-7");
        assertThat(t.get("/.PID-3-1")).isEqualTo("MRN42");
    }

    @Test
    void eachMessageGetsTheControlIdAndTimeItIsGiven() {
        String a = builder.build(WritebackAction.CONFIRM, subject("2.5"), "A1", NOW);
        String b = builder.build(WritebackAction.CONFIRM, subject("2.5"), "B2", NOW.plusSeconds(61));
        assertThat(MllpField.of(a, "MSH", 10)).isEqualTo("A1");
        assertThat(MllpField.of(b, "MSH", 10)).isEqualTo("B2");
        assertThat(MllpField.of(b, "MSH", 7)).isEqualTo("20300305190101+0000");
    }

    @Test
    void delimitersInValuesAreEscapedAndMissingValuesLeaveFieldsEmpty() throws Exception {
        WritebackSubject odd = new WritebackSubject("EHR|HOSP", "2.5", "A|1", "P^1&2", null, "M~1", null, null, null,
                null, null, null, null);
        String er7 = builder.build(WritebackAction.CONFIRM, odd, "C1", NOW);
        Terser t = new Terser(hapi.getPipeParser().parse(er7));
        assertThat(t.get("/ARQ-1-1")).isEqualTo("P^1&2");
        assertThat(t.get("/ARQ-2-1")).isNull();
        assertThat(t.get("/.PID-3-1")).isEqualTo("M~1");
        assertThat(t.get("/.PID-3-4-1")).isNull();
    }

    @Test
    void nonAsciiDeclaresUtf8() throws Exception {
        WritebackSubject s = new WritebackSubject("EHR|HOSP", "2.5", "A1", "PL-1", "A1", "MRNé", "HÔP", null, null,
                null, null, null, null);
        String er7 = builder.build(WritebackAction.CONFIRM, s, "C1", NOW);
        assertThat(MllpField.of(er7, "MSH", 18)).isEqualTo("UNICODE UTF-8");
        assertThat(new Terser(hapi.getPipeParser().parse(er7)).get("/.PID-3-4-1")).isEqualTo("HÔP");
    }

    @Test
    void receivingApplicationIsTheFeedsSenderUnlessTheMappingNamesOne() {
        WritebackSubject other = new WritebackSubject("EPIC|MAIN", "2.5", "A1", "PL", "A1", "M1", null, null, null,
                null, null, null, null);
        String er7 = builder.build(WritebackAction.CHANGE, other, "C1", NOW);
        assertThat(MllpField.of(er7, "MSH", 5)).isEqualTo("EPIC");
        assertThat(MllpField.of(er7, "MSH", 6)).isEqualTo("MAIN");
    }

    /** Reads fields straight from the ER7 text, as a receiver's engine would. */
    static final class MllpField {
        static String of(String er7, String segment, int n) {
            for (String seg : er7.split("\r")) {
                if (seg.startsWith(segment + "|")) {
                    String[] f = seg.split("\\|", -1);
                    int i = segment.equals("MSH") ? n - 1 : n;
                    return i < f.length && !f[i].isEmpty() ? f[i] : null;
                }
            }
            return null;
        }
    }
}
