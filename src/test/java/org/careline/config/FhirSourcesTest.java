package org.careline.config;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fhir.yaml's patient, place and report sections: where the FHIR mappers read each value, in order. */
class FhirSourcesTest {

    @Test
    void theShippedSourcesAreTheDefaults() throws IOException {
        // The defaults are the order the mappers read in before these sections existed (the FHIR mapper tests,
        // unchanged, check that); the shipped file and a file without the sections both give them.
        FhirMapping shipped = FhirMapping.load(Path.of("mappings"));
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> t.substring(0, t.indexOf("\npatient:")) + "\n");
        FhirMapping older = FhirMapping.load(dir);
        FhirMapping.SOURCES.forEach((section, fields) -> fields.forEach((field, sources) -> {
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
        assertThat(m.sources("patient", "language")).isEqualTo(FhirMapping.defaultSources("patient", "language"));
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
