package kz.qaqpa.directives.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory is the gateway's alone: the database, its password, the signing keys, the
 * admin token and the snapshots are in it. The directory is {@code 0700} and what lies directly in
 * it {@code 0600} (directories {@code 0700}) at every start, whatever the umask of whoever started
 * the gateway, so a local user of the same host reads nothing; secrets are written {@code 0600} from
 * their first byte. The JVM cannot set its own umask, so files that libraries make later (H2's,
 * snapshots) may carry a wider mode, but inside a directory no one else can enter. Only the first
 * level is touched: a data directory set by mistake to a home directory is closed, not rewritten.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} if needed and closes it, and what lies directly in it, to other users. */
    public static void privateDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!POSIX) {
                return;
            }
            try (Stream<Path> tree = Files.walk(dir, 1)) {
                for (Path path : tree.toList()) {
                    if (!Files.isSymbolicLink(path)) {
                        Files.setPosixFilePermissions(path, Files.isDirectory(path) ? OWNER_DIRECTORY : OWNER_FILE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " private to this user", e);
        }
    }

    /** Writes {@code text} to {@code file}, readable by its owner only from the first byte on; replaces it whole. */
    public static void writeSecret(Path file, String text) {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(temporary);
            if (POSIX) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createFile(temporary);
            }
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
