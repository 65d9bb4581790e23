package org.careline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration table of docs/configuration.md is what SettingsCatalog prints, so the documentation cannot
 * drift from what the engine reads. {@code -Dcareline.docs.write=true} rewrites it. README.md carries no copy of
 * the table (a second copy is a second thing to drift), only a link to it.
 */
class SettingsDocsTest {

    @Test
    void theReadmeLinksToTheTableInsteadOfCopyingIt() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("(docs/configuration.md)").doesNotContain(SettingsDocs.BEGIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/configuration.md"})
    void theConfigurationTableIsTheCatalogs(String file) throws IOException {
        Path path = Path.of(file);
        String text = Files.readString(path);
        String expected = SettingsDocs.withTable(text);
        if (Boolean.getBoolean("careline.docs.write") && !expected.equals(text)) {
            Files.writeString(path, expected);
            text = expected;
        }
        assertThat(text)
                .as(file + "'s table between " + SettingsDocs.BEGIN + " and " + SettingsDocs.END
                        + " differs from SettingsCatalog. Regenerate it with: mvn -q -B test -Dtest=SettingsDocsTest "
                        + "-Dcareline.docs.write=true (or paste the output of java -jar target/careline.jar config "
                        + "--markdown between the markers)")
                .isEqualTo(expected);
    }
}
