package org.careline.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a reliability suite sent in, what came out, what was lost and what was duplicated. Printed to standard
 * output (the surefire report keeps it) and appended as a Markdown row to {@code target/reliability/summary.md},
 * so one long run leaves one table with every suite's counts.
 */
public final class SuiteSummary {

    private static final Path FILE = Path.of("target", "reliability", "summary.md");

    private final String suite;
    private final Map<String, Object> counts = new LinkedHashMap<>();

    public SuiteSummary(String suite) {
        this.suite = suite;
    }

    public SuiteSummary put(String name, Object value) {
        counts.put(name, value);
        return this;
    }

    public Object get(String name) {
        return counts.get(name);
    }

    /** Prints and appends the row; call once at the end of a suite, before its assertions. */
    public void report() {
        StringBuilder line = new StringBuilder();
        counts.forEach((k, v) -> line.append(line.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        String row = "| " + suite + " | " + SuiteSize.name() + " | " + line + " |";
        System.out.println("[reliability] " + suite + " (" + SuiteSize.name() + "): " + line);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, "| suite | size | counts |\n|---|---|---|\n", StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
