package org.careline.writeback;

import org.careline.model.WritebackAction;
import org.careline.config.MappingException;
import org.careline.config.Settings;
import org.careline.config.WritebackMapping;
import org.careline.support.EngineFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CARELINE_SCHEDULING_MLLP and friends, and mappings/writeback.yaml: a slip stops the start with one line naming
 * the variable, or the file, line and key. Each mapping test breaks one thing in a copy of the project's file.
 */
class WritebackConfigTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void copyProjectMapping() throws IOException {
        file = dir.resolve("writeback.yaml");
        Files.copy(Path.of("mappings", "writeback.yaml"), file);
    }

    // ---- settings ----

    @Test
    void unsetMeansWritebackDisabledWithDefaults() {
        Settings s = Settings.from(Map.of());
        assertThat(s.writebackEnabled()).isFalse();
        assertThat(s.schedulingHost()).isNull();
        assertThat(s.writebackIntervalMillis()).isEqualTo(1000);
        assertThat(s.schedulingTimeoutMillis()).isEqualTo(15000);
        assertThat(s.toString()).contains("scheduling=disabled");
    }

    @Test
    void hostAndPortAreRead() {
        Settings s = Settings.from(Map.of("CARELINE_SCHEDULING_MLLP", " ehr-1.example.org:6661 ",
                "CARELINE_WRITEBACK_INTERVAL_MS", "250", "CARELINE_SCHEDULING_TIMEOUT_MS", "3000"));
        assertThat(s.writebackEnabled()).isTrue();
        assertThat(s.schedulingHost()).isEqualTo("ehr-1.example.org");
        assertThat(s.schedulingPort()).isEqualTo(6661);
        assertThat(s.writebackIntervalMillis()).isEqualTo(250);
        assertThat(s.schedulingTimeoutMillis()).isEqualTo(3000);
        assertThat(Settings.from(Map.of("CARELINE_SCHEDULING_MLLP", "10.0.0.7:2575")).schedulingHost())
                .isEqualTo("10.0.0.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ehr.example.org", "ehr.example.org:", ":2575", "ehr:0", "ehr:65536", "ehr:abc",
            "mllp://ehr:2575", "ehr:2575/x", "ehr 1:2575", "-ehr:2575"})
    void aBadAddressIsOneLineNamingTheVariable(String value) {
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_SCHEDULING_MLLP", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CARELINE_SCHEDULING_MLLP must be host:port")
                .hasMessageContaining("'" + value + "'")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CARELINE_WRITEBACK_INTERVAL_MS", "CARELINE_SCHEDULING_TIMEOUT_MS"})
    void intervalsMustBePositiveWholeNumbers(String variable) {
        assertThatThrownBy(() -> Settings.from(Map.of(variable, "0"))).hasMessageStartingWith(variable);
        assertThatThrownBy(() -> Settings.from(Map.of(variable, "1s"))).hasMessageStartingWith(variable);
    }

    @Test
    void theAckTimeoutStaysWellWithinTheClaimOnARequest() {
        assertThat(Settings.from(Map.of("CARELINE_SCHEDULING_TIMEOUT_MS", "120000")).schedulingTimeoutMillis())
                .isEqualTo(120000);
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_SCHEDULING_TIMEOUT_MS", "120001")))
                .hasMessage("CARELINE_SCHEDULING_TIMEOUT_MS must be a number of milliseconds from 1 to 120000, "
                        + "got '120001'");
    }

    // ---- mappings/writeback.yaml ----

    @Test
    void theProjectsOwnMappingLoads() {
        WritebackMapping m = WritebackMapping.load(Path.of("mappings"));
        new SrmBuilder(m);
        assertThat(m.message(WritebackAction.CONFIRM).trigger()).isEqualTo("S03");
        assertThat(m.message(WritebackAction.CHANGE).trigger()).isEqualTo("S02");
        assertThat(m.message(WritebackAction.CANCEL).trigger()).isEqualTo("S04");
    }

    /** Replaces {@code from} (which must occur once) and returns the 1-based line where the replacement starts. */
    private int edit(String from, String to) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(from);
        assertThat(at).as("'%s' in the file", from).isNotNegative();
        assertThat(text.indexOf(from, at + 1)).as("'%s' occurs once", from).isNegative();
        Files.writeString(file, text.substring(0, at) + to + text.substring(at + from.length()));
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private void load() {
        new SrmBuilder(WritebackMapping.load(dir));
    }

    private void fails(String prefix, String... details) {
        var thrown = assertThatThrownBy(this::load).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(file + prefix).hasMessageNotContaining("\n");
        for (String d : details) {
            thrown.hasMessageContaining(d);
        }
    }

    @Test
    void unknownValueName() throws IOException {
        int line = edit("    value: placerId\n", "    value: placerID\n");
        fails(", line " + line + ", key 'fields[0].value': unknown value 'placerID'", "fillerId");
    }

    @Test
    void segmentNotInTheStructure() throws IOException {
        int line = edit("        text: Patient confirmed via WhatsApp\n      - path: /NTE-3\n",
                "        text: Patient confirmed via WhatsApp\n      - path: /ZZZ-3\n") + 1;
        fails(", line " + line + ", key 'actions.confirm.fields[1].path': '/ZZZ-3' does not fit", "SRM_S01");
    }

    @Test
    void fieldBeyondTheSegment() throws IOException {
        int line = edit("  change:\n    type: SRM\n    trigger: S02\n    structure: SRM_S01\n    fields:\n      - path: /ARQ-6-2\n",
                "  change:\n    type: SRM\n    trigger: S02\n    structure: SRM_S01\n    fields:\n      - path: /ARQ-99-2\n") + 5;
        fails(", line " + line + ", key 'actions.change.fields[0].path': '/ARQ-99-2' names field 99 but ARQ has fields 1 to");
    }

    @Test
    void componentBeyondTheField() throws IOException {
        int line = edit("  - path: /ARQ-2-1\n", "  - path: /ARQ-2-9\n");
        fails(", line " + line + ", key 'fields[1].path': '/ARQ-2-9' names component 9 but ARQ-2 has 4");
    }

    @Test
    void structureHapiDoesNotKnow() throws IOException {
        int line = edit("    trigger: S04\n    structure: SRM_S01\n", "    trigger: S04\n    structure: SRM_S99\n") + 1;
        fails(", line " + line + ", key 'actions.cancel.structure': HAPI knows no message structure 'SRM_S99'");
    }

    @Test
    void misspeltKeyIsNamedWithItsLine() throws IOException {
        int line = edit("    trigger: S03\n", "    triger: S03\n");
        fails(", line " + line + ", key 'actions.confirm.triger'");
    }

    @Test
    void badTrigger() throws IOException {
        int line = edit("    trigger: S03\n", "    trigger: S3\n");
        fails(", line " + line + ", key 'actions.confirm.trigger': 'S3' is not a trigger event");
    }

    @Test
    void valueAndTextTogether() throws IOException {
        int line = edit("    value: fillerId\n", "    value: fillerId\n    text: x\n") - 1;
        fails(", line " + line + ", key 'fields[1]': give either 'value'", "not both");
    }

    @Test
    void mshIsCarelines() throws IOException {
        int line = edit("  - path: /ARQ-1-1\n", "  - path: /MSH-10\n");
        fails(", line " + line + ", key 'fields[0].path': MSH is filled by Careline");
    }

    @Test
    void notAPath() throws IOException {
        int line = edit("  - path: /ARQ-1-1\n", "  - path: ARQ.1\n");
        fails(", line " + line + ", key 'fields[0].path': 'ARQ.1' is not a field path");
    }

    @Test
    void unknownAndMissingActions() throws IOException {
        int line = edit("  cancel:\n", "  reschedule:\n");
        fails(", line " + line + ", key 'actions.reschedule': not an action; known: [confirm, change, cancel]");
    }

    @Test
    void missingSendingApplication() throws IOException {
        edit("  sendingApplication: CARELINE\n", "");
        // a missing key is reported at the line of its parent, header:
        int header = java.nio.file.Files.readAllLines(file).indexOf("header:") + 1;
        assertThat(header).isPositive();
        fails(", line " + header + ", key 'header.sendingApplication': missing");
    }

    @Test
    void theEngineDoesNotStartWithABrokenMapping() throws IOException {
        for (String f : List.of("sites.yaml", "siu.yaml", "pieces.yaml", "templates.yaml", "replies.yaml")) {
            Files.copy(Path.of("mappings", f), dir.resolve(f));
        }
        edit("    value: patientId\n", "    value: mrn\n");
        assertThatThrownBy(() -> EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", dir.toString()), Instant.now()))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("key 'fields[2].value'");
    }
}
