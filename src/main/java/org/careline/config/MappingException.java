package org.careline.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A file under mappings/ is missing, malformed or names something that does not exist. Says where, in one style:
 * {@code <file>, line <n>, key '<key>': <problem>} (line and key left out only where there is none, e.g. a missing
 * file), and carries the same as values for whoever reports it.
 */
public class MappingException extends RuntimeException {

    private final Path file;
    private final int line;
    private final String key;

    public MappingException(Path file, int line, String key, String problem, Throwable cause) {
        super(file + (line > 0 ? ", line " + line : "") + (key == null || key.isEmpty() ? "" : ", key '" + key + "'")
                + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.key = key == null || key.isEmpty() ? null : key;
    }

    /** A problem with {@code key} of {@code file} found after reading it; the line is looked up in the file. */
    public static MappingException at(Path file, String key, String problem) {
        return YamlFiles.problem(file, key, problem);
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** 1-based line of the key in the file, when it could be found. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
