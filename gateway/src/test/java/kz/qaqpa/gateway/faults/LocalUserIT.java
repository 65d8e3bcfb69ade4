package kz.qaqpa.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kz.qaqpa.blocklist.net.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local unprivileged user on the gateway's host, as an attacker: the packaged gateway runs on its
 * embedded defaults, and user {@code nobody} tries to read what it keeps and to reach a database
 * port. Needs root (to be {@code nobody} through {@code setpriv}) and {@code ss}.
 */
class LocalUserIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Process gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }

    @Test
    void anotherLocalUserReadsNothingOfTheDataDirectoryAndFindsNoDatabasePort() throws Exception {
        Assumptions.assumeTrue(run("id", "-u").strip().equals("0"), "needs root to act as user nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")), "needs ss (iproute2)");
        // The work directory is open to everyone, as /var/lib or a home directory often is, so only
        // the gateway's own care keeps its data directory private.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int[] ports = FreePorts.take(4);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString(), "gateway",
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(ports[0]),
                "--hazelcast-port", Integer.toString(ports[1]), "--xfr-port", Integer.toString(ports[2]),
                "--dns-port", Integer.toString(ports[3]), "--cluster-name", "local-" + UUID.randomUUID()));
        gateway = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile()).start();
        String api = "http://127.0.0.1:" + ports[0];
        try {
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().failFast(() -> !gateway.isAlive())
                    .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(api + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("the gateway did not become ready; its output:\n"
                    + Files.readString(dir.resolve("gateway.log")), e); // the temporary directory goes with the test
        }

        Path data = dir.resolve("data");
        assertThat(data.resolve("qaqpa.mv.db")).exists();
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(data.resolve("db-password"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<Path> kept;
        try (Stream<Path> files = Files.walk(data)) {
            kept = files.filter(Files::isRegularFile).toList();
        }
        assertThat(kept).extracting(path -> data.relativize(path).toString())
                .contains("qaqpa.mv.db", "db-password", "admin-token", "secrets.key", "pki/signer.key", "pki/gateway.key");
        for (Path file : kept) {
            assertThat(asNobody("cat", file.toString())).as("nobody reads " + file).isNotZero();
        }
        assertThat(asNobody("ls", data.toString())).as("nobody lists the data directory").isNotZero();
        assertThat(asNobody("ls", dir.toString())).as("nobody lists the work directory (the test's premise)").isZero();

        // Listening sockets of the gateway's process: exactly the configured ones, on loopback. The DNS
        // forwarder's sockets are connected to the upstream (the system takes datagrams for them from
        // it alone) and listen for no one, so they are not among them.
        Set<String> listening = new TreeSet<>();
        Pattern socket = Pattern.compile("^(tcp|udp)\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s");
        for (String line : run("ss", "-Hlntup").lines().toList()) {
            if (!line.contains("pid=" + gateway.pid() + ",")) {
                continue;
            }
            Matcher matcher = socket.matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            assertThat(matcher.group(2)).as("bound to loopback: " + line).isIn("127.0.0.1", "[::1]", "[::ffff:127.0.0.1]");
            listening.add(matcher.group(1) + "/" + matcher.group(3));
        }
        assertThat(listening).containsExactlyInAnyOrder("tcp/" + ports[0], "tcp/" + ports[1], "tcp/" + ports[2],
                "udp/" + ports[2], "tcp/" + ports[3], "udp/" + ports[3]);
    }

    /** Runs a command as user nobody (no groups); its exit code. */
    private int asNobody(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
