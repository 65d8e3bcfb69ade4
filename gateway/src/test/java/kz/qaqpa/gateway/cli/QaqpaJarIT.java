package kz.qaqpa.gateway.cli;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code qaqpa.jar}, run as a user runs it: a separate JVM, spoken to over HTTP. */
class QaqpaJarIT {

    private static final Pattern LISTENING = Pattern.compile("HTTP listening on port (\\d+)");

    @TempDir
    Path workDir;

    private Process process;
    private CompletableFuture<Void> reader;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void gatewayStartsOnEmbeddedDefaultsServesAndStopsCleanlyOnSigterm() throws Exception {
        start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--cluster-name", "it-" + UUID.randomUUID());
        int port = awaitListening();

        HttpResponse<String> ready = send(port, "GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(send(port, "GET", "/metrics").body()).contains("jvm_").contains("http_server_requests");
        HttpResponse<String> missing = send(port, "GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(workDir.resolve("data/qaqpa.mv.db")).exists();

        process.destroy(); // SIGTERM

        assertThat(awaitExit()).as("exits after SIGTERM").isTrue();
        assertThat(String.join("\n", output)).contains("Left cluster").contains("Gateway stopped");
    }

    @Test
    void badOptionExitsWithOneLineAndCreatesNothing() throws Exception {
        start("gateway", "--http-port", "abc");

        assertThat(awaitExit()).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).singleElement().asString().contains("--http-port");
        assertThat(workDir.resolve("data")).doesNotExist();
    }

    @Test
    void helpListsTheCommands() throws Exception {
        start("--help");

        assertThat(awaitExit()).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(String.join("\n", output)).contains("gateway");
    }

    private void start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("<output closed: " + e + ">");
            }
        });
    }

    /** Waits for the process to exit and for all it printed to be read. */
    private boolean awaitExit() throws Exception {
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (exited) {
            reader.get(10, TimeUnit.SECONDS);
        }
        return exited;
    }

    private int awaitListening() {
        return await().atMost(Duration.ofSeconds(60))
                .failFast("qaqpa exited early", () -> !process.isAlive())
                .until(this::listeningPort, Optional::isPresent)
                .orElseThrow();
    }

    private Optional<Integer> listeningPort() {
        synchronized (output) {
            return output.stream().map(LISTENING::matcher).filter(Matcher::find)
                    .map(matcher -> Integer.parseInt(matcher.group(1))).findFirst();
        }
    }
}
