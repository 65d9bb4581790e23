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

/** pieces.yaml's datatypes (person, place, time) and the sources that name them. */
class DatatypePiecesTest {

    @Test
    void theShippedDatatypesAreWhatTheMappersDidInJava() {
        // person: XCN-6, -3, -2 joined by spaces; place: "PL-1 PL-2, PL-4"; time: the site's zone, any precision.
        Map<String, Hl7Datatype> before = Map.of(
                "person", new Hl7Datatype(List.of(List.of(6, 3, 2)), null, null),
                "place", new Hl7Datatype(List.of(List.of(1, 2), List.of(4)), null, null),
                "time", new Hl7Datatype(null, "site", "year"));
        assertThat(Hl7Pieces.DEFAULT_DATATYPES).isEqualTo(before);
        assertThat(SiuMapping.load(Path.of("mappings")).datatypes()).isEqualTo(before);
        assertThat(OruMapping.load(Path.of("mappings")).datatypes()).isEqualTo(before);
    }

    @Test
    void filesWrittenBeforeDatatypesGetTheShippedOnes() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "pieces.yaml", t -> t.substring(0, t.indexOf("\ndatatypes:")) + "\n");
        TestMappings.edit(dir, "siu.yaml", t -> t.replace(", as: time }", " }"));
        SiuMapping older = SiuMapping.load(dir);
        assertThat(older.datatypes()).isEqualTo(Hl7Pieces.DEFAULT_DATATYPES);
        assertThat(older.sources("start").get(0).as()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown datatype       | siu.yaml    | '- path: /.AIL-3\\n      as: place' | '- path: /.AIL-3\\n      as: plaice'  | fields.location[0].as
            time read as a name    | siu.yaml    | '- path: /.AIL-3\\n      as: place' | '- path: /.AIL-3\\n      as: time'    | fields.location[0].as
            start read as a place  | siu.yaml    | '{ path: /.TQ1-7, as: time }'      | '{ path: /.TQ1-7, as: place }'      | fields.start[0].as
            zone that is none      | pieces.yaml | '    zone: site'                   | '    zone: Mars/Base'               | datatypes.time.zone
            precision unknown      | pieces.yaml | '    precision: year'              | '    precision: week'               | datatypes.time.precision
            composite and time     | pieces.yaml | '    components: [[6, 3, 2]]'      | '    components: [[6, 3, 2]]\\n    zone: site' | datatypes.person
            component zero         | pieces.yaml | '    components: [[1, 2], [4]]'    | '    components: [[1, 2], [0]]'     | datatypes.place.components[1]
            datatype called text   | pieces.yaml | '  person:\\n'                     | '  text:\\n'                        | datatypes.text
            unknown datatype key   | pieces.yaml | '    precision: year'              | '    precission: year'              | datatypes.time.precission
            """)
    void aWrongDatatypeNamesFileLineAndKey(String what, String file, String from, String to, String key)
            throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, file, t -> {
            String f = from.replace("\\n", "\n");
            assertThat(t).as(what).contains(f);
            return t.replaceFirst(java.util.regex.Pattern.quote(f),
                    java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
        });
        assertThatThrownBy(() -> SiuMapping.load(dir)).as(what).isInstanceOf(MappingException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(dir.resolve(file).toString())
                        + ", line \\d+, key '" + java.util.regex.Pattern.quote(key) + "': .*");
    }
}
