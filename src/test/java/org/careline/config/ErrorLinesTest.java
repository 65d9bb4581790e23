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
 * Every mapping error names file, line and key in one style, {@code <file>, line <n>, key '<key>': <problem>}, and
 * the line is the one an analyst has to change: the key's own line, or for a key that is missing, its parent's.
 * These are the checks that once reported no line, or put it after the problem (a missing kind, whose line is its
 * parent's, is in MappingFilesTest).
 */
class ErrorLinesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown trigger event   | siu.yaml       | '  S15: cancel'                 | '  S15: cancelled'                    | triggers.S15                  | S15:
            unknown SIU field       | siu.yaml       | '  serviceName:'                | '  serviceTitle:'                     | fields.serviceTitle           | serviceTitle:
            unknown phone region    | sites.yaml     | '    phoneRegion: GB'           | '    phoneRegion: XX'                 | sites.royal-london.phoneRegion | phoneRegion: XX
            unknown time zone       | sites.yaml     | 'zone: America/Detroit'         | 'zone: Mars/Base'                     | sites.gh-clinic.zone          | zone: Mars/Base
            default site not there  | sites.yaml     | 'defaultSite: main'             | 'defaultSite: mian'                   | defaultSite                   | defaultSite: mian
            reminder not a duration | sites.yaml     | 'reminders: [48h, 2h]'          | 'reminders: [48x]'                    | defaultPolicy.reminders[0]    | [48x]
            unknown body variable   | templates.yaml | 'facility_name, clinic_phone]'  | 'facility_name, clinic_phone_number]' | templates.cancelled.body[4]   | clinic_phone_number
            not a message kind      | templates.yaml | '  cancelled:'                  | '  canceled:'                         | templates.canceled            | canceled:
            """)
    void theLineComesBeforeTheKey(String what, String file, String from, String to, String key, String onLine)
            throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, file, t -> {
            assertThat(t).contains(from);
            return t.replaceFirst(java.util.regex.Pattern.quote(from), to);
        });
        MappingException e = catchThrowableOfType(MappingException.class, () -> load(file, dir));
        assertThat(e).as(what).isNotNull();
        int line = e.line().orElseThrow(() -> new AssertionError(what + ": no line in " + e.getMessage()));
        List<String> lines = Files.readAllLines(dir.resolve(file));
        assertThat(lines.get(line - 1)).as(what).contains(onLine);
        assertThat(e.getMessage()).as(what).startsWith(dir.resolve(file) + ", line " + line + ", key '" + key + "': ");
        assertThat(e.key()).contains(key);
        assertThat(e.file()).contains(dir.resolve(file));
    }

    private static void load(String file, Path dir) {
        switch (file) {
            case "siu.yaml" -> SiuMapping.load(dir);
            case "sites.yaml" -> SiteDirectory.load(dir, ZoneId.of("America/New_York"), "US");
            default -> TemplateCatalog.load(dir);
        }
    }
}
