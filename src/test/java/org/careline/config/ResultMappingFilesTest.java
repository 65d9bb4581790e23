package org.careline.config;

import org.careline.model.ResultRules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mappings/oru.yaml and results.yaml: the project's files load; a slip names the file, line and key. */
class ResultMappingFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void copy() throws IOException {
        for (String f : List.of("oru.yaml", "pieces.yaml", "results.yaml")) {
            Files.copy(Path.of("mappings", f), dir.resolve(f));
        }
    }

    private int edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        int at = text.indexOf(from);
        assertThat(at).isNotNegative();
        Files.writeString(p, text.substring(0, at) + to + text.substring(at + from.length()));
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void theProjectsOwnFilesLoad() {
        ResultRules rules = ResultsMapping.load(dir);
        assertThat(rules.foldWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(rules.categories()).extracting(ResultRules.Category::name)
                .containsExactly("hiv", "genetics", "pathology");
        assertThat(OruMapping.load(dir).triggers()).containsExactly("R01");
    }

    @Test
    void badDelayNamesFileLineAndKey() throws IOException {
        int line = edit("results.yaml", "    delay: 72h", "    delay: 72x");
        assertThatThrownBy(() -> ResultsMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("results.yaml") + ", line " + line
                        + ", key 'categories.pathology.delay': ");
    }

    @Test
    void unknownNoticeNamesTheStatus() throws IOException {
        int line = edit("results.yaml", "  C: updated", "  C: shout");
        assertThatThrownBy(() -> ResultsMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("results.yaml") + ", line " + line
                        + ", key 'notify.C': 'shout' is not one of available, updated, none");
    }

    @Test
    void badOrderPathNamesIt() throws IOException {
        int line = edit("oru.yaml", "  resultStatus: [OBR-25]", "  resultStatus: [OBR25]");
        assertThatThrownBy(() -> OruMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("oru.yaml") + ", line " + line
                        + ", key 'order.resultStatus[0]': 'OBR25' is not a path like OBR-25 or OBR-4-1");
    }
}
