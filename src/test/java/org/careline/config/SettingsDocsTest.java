package org.careline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration tables of README.md and docs/configuration.md are what SettingsCatalog prints, so the
 * documentation cannot drift from what the engine reads. {@code -Dcareline.docs.write=true} rewrites them.
 */
class SettingsDocsTest {

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/configuration.md"})
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
