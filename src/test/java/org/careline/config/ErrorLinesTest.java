package org.careline.config;

import org.careline.support.TestMappings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The checks whose messages older tests match from the file name on now name the line too, at the end of the
 * message ("… (line 14)"), and carry it as a value.
 */
class ErrorLinesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown trigger event   | siu.yaml       | '  S15: cancel'              | '  S15: cancelled'              | triggers.S15
            unknown SIU field       | siu.yaml       | '  serviceName:'             | '  serviceTitle:'               | fields.serviceTitle
            unknown phone region    | sites.yaml     | '    phoneRegion: GB'        | '    phoneRegion: XX'           | sites.royal-london.phoneRegion
            unknown body variable   | templates.yaml | 'facility_name, clinic_phone]' | 'facility_name, clinic_phone_number]' | templates.cancelled.body[4]
            """)
    void theLineFollowsTheProblem(String what, String file, String from, String to, String key) throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, file, t -> {
            assertThat(t).contains(from);
            return t.replaceFirst(java.util.regex.Pattern.quote(from), to);
        });
        MappingException e = catchThrowableOfType(MappingException.class, () -> load(file, dir));
        assertThat(e).as(what).isNotNull();
        List<String> lines = Files.readAllLines(dir.resolve(file));
        int line = e.line().orElseThrow();
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
        assertThat(lines.get(line - 1)).as(what).contains(last.equals("body") ? "clinic_phone_number" : last);
        assertThat(e.getMessage()).startsWith(dir.resolve(file) + ", key '" + key + "': ")
                .endsWith(" (line " + line + ")");
        assertThat(e.key()).contains(key);
    }

    private static void load(String file, Path dir) {
        switch (file) {
            case "siu.yaml" -> SiuMapping.load(dir);
            case "sites.yaml" -> SiteDirectory.load(dir, ZoneId.of("America/New_York"), "US");
            default -> TemplateCatalog.load(dir);
        }
    }
}
