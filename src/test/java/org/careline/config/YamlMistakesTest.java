package org.careline.config;

import org.careline.support.TestMappings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 16: a mapping file of the wrong shape is reported in an analyst's words, with file, line and key, never in
 * Jackson's ("no String-argument constructor", "No content to map", "Cannot deserialize value of type", Java class
 * names). One broken snippet per kind of mistake, over every mapping file kind.
 */
class YamlMistakesTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            siu.yaml           | ''                     | 0 |                 | the file is empty
            siu.yaml           | '- a\\n- b\\n'         | 1 |                 | expected keys with values (key: value lines), got a list
            siu.yaml           | 'just text\\n'         | 1 |                 | expected keys with values (key: value lines), got a text ('just text')
            siu.yaml           | 'triggers: oops\\n'    | 1 | triggers        | expected keys with values (key: value lines), got a text ('oops')
            siu.yaml           | 'nonsense: 1\\n'       | 1 | nonsense        | unknown key 'nonsense'; the keys allowed here are fields, patient, phones, triggers
            sites.yaml         | ''                     | 0 |                 | the file is empty
            sites.yaml         | 'defaultSite: [a]\\n'  | 1 | defaultSite     | expected a text, got a list
            templates.yaml     | 'formats: 12\\n'       | 1 | formats         | expected keys with values (key: value lines), got a number
            templates.yaml     | '- a\\n'               | 1 |                 | expected keys with values (key: value lines), got a list
            replies.yaml       | 'just text\\n'         | 1 |                 | expected keys with values (key: value lines), got a text ('just text')
            writeback.yaml     | 'header: 12\\n'        | 1 | header          | expected keys with values (key: value lines), got a number (12)
            oru.yaml           | 'triggers: oops\\n'    | 1 | triggers        | expected a list, got a text ('oops')
            oru.yaml           | 'triggers: 12\\n'      | 1 | triggers        | expected a list, got a number
            pieces.yaml        | 'pieces: [1, 2]\\n'    | 1 | pieces          | expected keys with values (key: value lines), got a list
            results.yaml       | 'notify: oops\\n'      | 1 | notify          | expected keys with values (key: value lines), got a text ('oops')
            fhir.yaml          | 'subscriptions: x\\n'  | 1 | subscriptions   | expected a list, got a text
            fhir.yaml          | 'subscriptions: [1]\\n'| 1 | subscriptions[0]| expected keys with values (key: value lines), got a number (1)
            retention.yaml     | 'keep: [1]\\n'         | 1 | keep            | expected keys with values (key: value lines), got a list
            notifications.yaml | 'channels: oops\\n'    | 1 | channels        | expected keys with values (key: value lines), got a text ('oops')
            triage.yaml        | 'defaultLanguage: [en]\\n' | 1 | defaultLanguage | expected a text, got a list
            """)
    void aMistakeIsSaidInPlainWordsWithFileLineAndKey(String file, String text, int line, String key, String words)
            throws IOException {
        Path dir = TestMappings.copy();
        Files.writeString(dir.resolve(file), text.replace("\\n", "\n"));

        MappingException e = catchThrowableOfType(MappingException.class, () -> load(file, dir));

        assertThat(e).as(file).isNotNull();
        assertThat(e.getMessage()).isEqualTo(dir.resolve(file) + (line > 0 ? ", line " + line : "")
                + (key == null ? "" : ", key '" + key + "'") + ": " + words);
        assertThat(e.getMessage()).doesNotContain("constructor", "No content", "Cannot deserialize", "java.",
                "org.careline", "JsonToken");
    }

    private static void load(String file, Path dir) {
        switch (file) {
            case "siu.yaml" -> SiuMapping.load(dir);
            case "sites.yaml" -> SiteDirectory.load(dir, ZoneId.of("UTC"), "US");
            case "templates.yaml" -> TemplateCatalog.load(dir);
            case "replies.yaml" -> ReplyRules.load(dir);
            case "writeback.yaml" -> WritebackMapping.load(dir);
            case "oru.yaml", "pieces.yaml" -> OruMapping.load(dir);
            case "results.yaml" -> ResultsMapping.load(dir);
            case "fhir.yaml" -> FhirMapping.load(dir);
            case "retention.yaml" -> RetentionMapping.load(dir);
            case "notifications.yaml" -> NotificationRules.load(dir, name -> null, site -> true);
            case "triage.yaml" -> TriageRules.load(dir);
            default -> throw new IllegalArgumentException(file);
        }
    }
}
