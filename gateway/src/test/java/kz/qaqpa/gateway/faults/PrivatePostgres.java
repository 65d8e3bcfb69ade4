package kz.qaqpa.gateway.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kz.qaqpa.directives.store.DatabaseSettings;

/**
 * A PostgreSQL server of a test's own — initdb into a temporary directory, pg_ctl on a free port —
 * that the test may stop and start as it likes without touching the machine's server. As root it
 * runs as the {@code postgres} user (PostgreSQL refuses to run as root).
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The server binaries ({@code /usr/lib/postgresql/N/bin}, newest N), if installed. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why this machine cannot run one, or empty when it can. */
    public static Optional<String> unavailableBecause() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return Optional.of("running as root without runuser to start PostgreSQL as the postgres user");
        }
        return Optional.empty();
    }

    public static PrivatePostgres start(Path parent) throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow();
        Path dir = Files.createTempDirectory(parent, "pg");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PrivatePostgres postgres = new PrivatePostgres(bin, dir, port);
        if (isRoot()) {
            postgres.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            postgres.run(List.of("chmod", "o+x", parent.toString()), false);
        }
        postgres.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8"), true);
        postgres.startServer();
        return postgres;
    }

    public DatabaseSettings settings() {
        return new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** Starts the server (again) and waits until it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
    }

    /** Stops the server at once, as a crash or a failover would: open connections are cut. */
    public void stopServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "immediate",
                "stop"), true);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopServer();
        } catch (IOException alreadyStopped) {
            // nothing to stop
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile("pg-command", ".log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + full);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
