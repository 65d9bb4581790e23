package org.careline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CARELINE_MASTER_KEY and CARELINE_MASTER_KEY_FILE: what is accepted, and one line naming the variable otherwise. */
class MasterKeySettingsTest {

    private static final String GOOD = Base64.getEncoder().encodeToString(new byte[32]).replace("AAAA", "q2Zx");

    @TempDir
    Path dir;

    private static List<String> problems(Map<String, String> env) {
        return SettingValues.read(env).problems();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unset: encryption off                 | ''                                           | ''",
            "32 bytes, standard base64             | GOOD                                         | ''",
            "32 bytes with blanks around           | ' GOOD '                                     | ''",
            "16 bytes                              | AAAAAAAAAAAAAAAAAAAAAA==                     | must be base64 of 32 bytes, not of 16",
            "not base64                            | 'not a key!'                                 | is not base64",
    })
    void theKeyFromTheEnvironment(String why, String value, String problem) {
        Map<String, String> env = new HashMap<>();
        if (!value.isBlank()) {
            env.put("CARELINE_MASTER_KEY", value.replace("GOOD", GOOD));
        }
        List<String> found = problems(env).stream().filter(p -> p.contains("MASTER_KEY")).toList();
        if (problem.isEmpty()) {
            assertThat(found).as(why).isEmpty();
        } else {
            assertThat(found).as(why).singleElement().asString().contains("CARELINE_MASTER_KEY", problem)
                    .doesNotContain(value);
        }
    }

    @Test
    void aKeyFileIsReadAndChecked() throws Exception {
        Path good = Files.writeString(dir.resolve("good"), GOOD + "\n");
        Path short16 = Files.writeString(dir.resolve("short"), "AAAAAAAAAAAAAAAAAAAAAA==");
        assertThat(problems(Map.of("CARELINE_MASTER_KEY_FILE", good.toString()))).isEmpty();
        assertThat(Settings.from(Map.of("CARELINE_MASTER_KEY_FILE", good.toString())).masterKey()).isEqualTo(GOOD);
        assertThat(problems(Map.of("CARELINE_MASTER_KEY_FILE", short16.toString()))).singleElement().asString()
                .contains("CARELINE_MASTER_KEY_FILE", "not of 16");
        assertThat(problems(Map.of("CARELINE_MASTER_KEY_FILE", dir.resolve("missing").toString()))).singleElement()
                .asString().contains("CARELINE_MASTER_KEY_FILE", "cannot be read");
        assertThat(problems(Map.of("CARELINE_MASTER_KEY_FILE", good.toString(), "CARELINE_MASTER_KEY", GOOD)))
                .singleElement().asString().contains("both set").doesNotContain(GOOD);
        assertThat(Settings.from(Map.of()).masterKey()).isNull();
    }
}
