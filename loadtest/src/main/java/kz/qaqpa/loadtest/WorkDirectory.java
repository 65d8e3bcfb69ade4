package kz.qaqpa.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's working directory, under the system's temporary directory: the gateway's database,
 * the peers' configurations, the processes' logs. A benchmark deletes it once it has succeeded — one
 * DNS run of 1,000,000 names leaves 1.5 GB of database, and {@code loadtest/run.sh} runs several —
 * and keeps it when it fails, for the logs; its path is printed when it is made.
 */
public final class WorkDirectory {

    private WorkDirectory() {
    }

    /** A new directory, owner only, named from {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        System.out.println("working directory (deleted when the benchmark succeeds): " + dir);
        return dir;
    }

    /** Deletes {@code dir} and everything under it. */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
