package org.careline.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies of the project's mappings/ with one file changed, for tests that need another configuration. */
public final class TestMappings {

    private TestMappings() {
    }

    /** The project's mappings, with gh-clinic letting patients cancel and recording their messages. */
    public static Path withFhirSite() throws IOException {
        Path dir = copy();
        String from = "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n";
        edit(dir, "sites.yaml", text -> {
            assertThat(text).contains(from);
            return text.replace(from, from + "    fhir:\n      patientsMayCancel: true\n      recordMessages: true\n");
        });
        return dir;
    }

    /** A copy of mappings/ in a new temporary directory. */
    public static Path copy() throws IOException {
        Path dir = Files.createTempDirectory("careline-mappings");
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** Rewrites one file of a copied mappings directory. */
    public static void edit(Path dir, String file, UnaryOperator<String> change) throws IOException {
        Path path = dir.resolve(file);
        Files.writeString(path, change.apply(Files.readString(path)));
    }
}
