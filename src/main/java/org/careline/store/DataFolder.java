package org.careline.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folder of an embedded H2 database holds names, phone numbers and patients' words: only the engine's own
 * user may read it. A folder Careline creates is made 0700, and the database's files (careline.mv.db, its trace and
 * lock files) are kept 0600. A folder that already exists is not changed (it may be shared, e.g. /var/lib); a WARN
 * says so when others can read it. On file systems without POSIX permissions (Windows) nothing is done.
 */
final class DataFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DataFolder.class);
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {
    }

    /** The database's base path (without .mv.db) for an embedded H2 file URL; empty for anything else. */
    static Optional<Path> h2Base(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")) {
            return Optional.empty();
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return rest.isEmpty() ? Optional.empty() : Optional.of(Path.of(rest).toAbsolutePath().normalize());
    }

    /** Before H2 opens it: creates the folder (0700) when it is missing. */
    static void prepare(String url) {
        if (!posix()) {
            return;
        }
        h2Base(url).map(Path::getParent).ifPresent(folder -> {
            try {
                if (Files.notExists(folder)) {
                    Files.createDirectories(folder);
                    Files.setPosixFilePermissions(folder, FOLDER);
                } else if (!Files.getPosixFilePermissions(folder).stream().allMatch(FOLDER::contains)) {
                    LOG.warn("the database folder {} can be read by other users of this machine; it holds patients' "
                            + "data: chmod 700 it", folder);
                }
            } catch (IOException e) {
                LOG.warn("could not make the database folder {} private ({})", folder, e.getClass().getSimpleName());
            }
        });
    }

    /** After H2 has opened it: its files are the owner's alone (0600). */
    static void tighten(String url) {
        if (!posix()) {
            return;
        }
        h2Base(url).ifPresent(base -> {
            String name = base.getFileName().toString() + ".";
            try (Stream<Path> files = Files.list(base.getParent())) {
                files.filter(f -> f.getFileName().toString().startsWith(name) && Files.isRegularFile(f))
                        .forEach(DataFolder::ownerOnly);
            } catch (IOException e) {
                LOG.warn("could not list the database folder {} ({})", base.getParent(), e.getClass().getSimpleName());
            }
        });
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, FILE);
        } catch (IOException e) {
            LOG.warn("could not make {} private ({})", file.getFileName(), e.getClass().getSimpleName());
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
