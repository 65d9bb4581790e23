package org.careline.config;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fhir.yaml's patient, place and report sections: where the FHIR mappers read each value, in order. */
class FhirSourcesTest {

    /** The order PatientDetails, FhirAppointmentMapper and FhirReportMapper read in before the sections existed. */
    private static final Map<String, Map<String, List<String>>> BEFORE = Map.of(
            "patient", Map.of(
                    "name", List.of("name.official", "name.current", "name.first"),
                    "language", List.of("communication.preferred", "communication.first"),
                    "phones", List.of("telecom.own", "telecom.fallback")),
            "place", Map.of(
                    "site", List.of("location.identifier", "location.name", "location.reference",
                            "participant.display", "participant.reference"),
                    "name", List.of("location.name", "participant.display"),
                    "pin", List.of("location.position", "location.address")),
            "report", Map.of(
                    "site", List.of("performer.identifier", "performer.display", "performer.reference")));

    @Test
    void theShippedSourcesAreTheOrderTheMappersAlwaysRead() throws IOException {
        assertThat(FhirMapping.SOURCES).isEqualTo(BEFORE);
        FhirMapping shipped = FhirMapping.load(Path.of("mappings"));
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> t.substring(0, t.indexOf("\npatient:")) + "\n");
        FhirMapping older = FhirMapping.load(dir);
        BEFORE.forEach((section, fields) -> fields.forEach((field, sources) -> {
            assertThat(shipped.sources(section, field)).as(section + "." + field).isEqualTo(sources);
            assertThat(older.sources(section, field)).as(section + "." + field).isEqualTo(sources);
        }));
    }

    @Test
    void aFieldLeftOutKeepsItsDefaultWhileAnotherIsReordered() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> t.replace("  language:\n    - source: communication.preferred\n"
                + "    - source: communication.first\n", "").replace("    - source: telecom.fallback\n", ""));
        FhirMapping m = FhirMapping.load(dir);
        assertThat(m.sources("patient", "language")).isEqualTo(BEFORE.get("patient").get("language"));
        assertThat(m.sources("patient", "phones")).containsExactly("telecom.own");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown source name     | '    - source: name.first'         | '    - source: name.last'          | patient.name[2].source
            source of another field | '    - source: location.address'   | '    - source: location.name'      | place.pin[1].source
            unknown field           | '  pin:'                           | '  pinn:'                          | place.pinn
            misspelled key          | '    - source: performer.display'  | '    - sourse: performer.display'  | report.site[1].sourse
            """)
    void aWrongSourceNamesFileLineAndKey(String what, String from, String to, String key) throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> {
            assertThat(t).as(what).contains(from);
            return t.replace(from, to);
        });
        assertThatThrownBy(() -> FhirMapping.load(dir)).as(what).isInstanceOf(MappingException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(dir.resolve("fhir.yaml").toString())
                        + ", line \\d+, key '" + java.util.regex.Pattern.quote(key) + "': .*");
    }
}
