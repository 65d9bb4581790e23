package org.careline.store;

import org.careline.model.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded database's folder and files are readable by the engine's user alone (issue 14, finding 2). */
class DataFolderTest {

    @Test
    void aNewDataFolderIs0700AndTheDatabaseFiles0600(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String url = "jdbc:h2:file:" + data.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        try (Database db = Database.open(new DatabaseSettings(url, "careline", ""))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            List<Path> files;
            try (var list = Files.list(data)) {
                files = list.toList();
            }
            assertThat(files).extracting(f -> f.getFileName().toString()).contains("careline.mv.db");
            for (Path f : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:h2:file:./data/careline;WRITE_DELAY=0 | data/careline
            jdbc:h2:./data/careline                    | data/careline
            jdbc:h2:mem:test                           |
            jdbc:h2:tcp://db/careline                  |
            jdbc:postgresql://db/careline              |
            """)
    void onlyEmbeddedFileUrlsHaveAFolder(String url, String base) {
        assertThat(DataFolder.h2Base(url).map(p -> Path.of("").toAbsolutePath().relativize(p).toString()))
                .isEqualTo(java.util.Optional.ofNullable(base));
    }
}
