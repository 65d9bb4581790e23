package org.careline.ingest.hl7;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SegmentReads answers as a fresh Terser does, for every path the shipped mappings read. "No value" is one answer:
 * Terser gives null for a segment its structure has but the message lacks and fails for one the structure lacks;
 * the mappers treat both alike, and SegmentReads answers null for both without searching.
 */
class SegmentReadsTest {

    private static final Path CORPUS = Path.of("../shared/corpus/hl7");
    private static final Pattern MAPPED_PATH = Pattern.compile("(?:path|segment|units): *([^ ,}\\n]+)");

    @Test
    void everyMappedPathReadsAsTerserReadsItInEveryCorpusMessage() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "shared corpus absent");
        Set<String> paths = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = MAPPED_PATH.matcher(Files.readString(f));
                while (m.find()) {
                    paths.add(m.group(1));
                }
            }
        }
        // Repetitions as SiuMapper asks for them, a path read twice, and paths that fail.
        paths.addAll(List.of("/NTE(0)-3", "/NTE(1)-3", "/.PID-3(1)-1", "/.PID-5-1", "/.ZZZ-1", "/.PID", "/.PID-x", "/.NTE-3",
                "/.OBX-5", "/.ORC-2", "/.OBR-3-1", "/.PV1-19", "/.AIG-3", "/.TQ1-7"));
        List<Path> messages;
        try (Stream<Path> s = Files.list(CORPUS)) {
            messages = s.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        assumeTrue(!messages.isEmpty(), "no HL7 in the corpus");
        int compared = 0;
        List<String> differences = new ArrayList<>();
        for (Path file : messages) {
            Message message;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r');
                message = new Hl7Receiver().parse(text.getBytes(StandardCharsets.UTF_8)).message();
            } catch (Exception unparseable) {
                continue;
            }
            SegmentReads reads = new SegmentReads(message);
            for (String path : paths) {
                String expected = read(() -> new Terser(message).get(path));
                String actual = read(() -> reads.get(path));
                compared++;
                if (!expected.equals(actual)) {
                    differences.add(file.getFileName() + " " + path + ": terser=" + expected + " reads=" + actual);
                }
            }
        }
        assertThat(compared).isGreaterThan(100);
        assertThat(differences).isEmpty();
    }

    private interface Read {
        String get() throws Exception;
    }

    private static String read(Read r) {
        try {
            String v = r.get();
            return v == null ? "no value" : "value:" + v;
        } catch (Exception e) {
            return "no value";
        }
    }
}
