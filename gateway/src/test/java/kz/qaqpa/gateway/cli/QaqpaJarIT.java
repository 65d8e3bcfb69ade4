package kz.qaqpa.gateway.cli;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.dns.FakeUpstream;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code qaqpa.jar}, run as a user runs it: a separate JVM, spoken to over HTTP. */
class QaqpaJarIT {

    private static final Pattern LISTENING = Pattern.compile("HTTP listening on port (\\d+)");

    @TempDir
    Path workDir;

    private Process process;
    private Path log;

    @AfterEach
    void kill() throws IOException {
        if (process != null) {
            process.destroyForcibly();
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void gatewayStartsOnEmbeddedDefaultsServesAndStopsCleanlyOnSigterm() throws Exception {
        start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "0", "--dns-port", "0",
                "--cluster-name", "it-" + UUID.randomUUID());
        int port = awaitListening();

        HttpResponse<String> ready = send(port, "GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        String admin = Files.readString(workDir.resolve("data/admin-token")).strip();
        assertThat(TestGateways.send(port, "GET", "/metrics").statusCode()).as("metrics need the admin token").isEqualTo(401);
        assertThat(metricsWith(port, admin)).contains("jvm_").contains("http_server_requests");
        HttpResponse<String> missing = send(port, "GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(workDir.resolve("data/qaqpa.mv.db")).exists();

        process.destroy(); // SIGTERM

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(String.join("\n", output())).contains("Left cluster").contains("Gateway stopped");
    }

    @Test
    void exampleDirectiveIsSignedSubmittedAndAuditedWithTheDemoPki() throws Exception {
        start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "0", "--dns-port", "0",
                "--cluster-name", "it-" + UUID.randomUUID());
        String url = "http://127.0.0.1:" + awaitListening();
        Path examples = Path.of(System.getProperty("qaqpa.examples"));

        Tool signed = run("sign", "--key", "data/pki/signer.key", "--cert", "data/pki/signer.pem",
                "--out", "restrict.p7m", examples.resolve("restrict.json").toString());
        assertThat(signed.exit()).as(signed.output()).isZero();
        Tool submitted = run("submit", "--url", url, "restrict.p7m");
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        assertThat(submitted.output()).contains("\"number\" : \"DEMO-2026-0001\"").contains("\"created\" : true");

        Tool unsigned = run("submit", "--url", url, examples.resolve("restrict.json").toString());
        assertThat(unsigned.exit()).isEqualTo(1);
        assertThat(unsigned.output().lines()).singleElement().asString().contains("signature-malformed");

        // The embedded database is the gateway's alone: a second process is told to ask the gateway.
        Tool locked = run("audit", "verify", "--data-dir", "data");
        assertThat(locked.exit()).as(locked.output()).isEqualTo(1);
        assertThat(locked.output()).contains("qaqpa audit verify --url");
        Tool audit = run("audit", "verify", "--data-dir", "data", "--url", url);
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.output()).contains("intact: 1 record(s)");
    }

    @Test
    void filteringNodeInAnotherProcessEnforcesADirectiveAndAfterKill9CatchesUpWithItsRestore() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream()) {
            String cluster = "it-" + UUID.randomUUID();
            start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "0", "--no-filter-node", "--cluster-name", cluster);
            String url = "http://127.0.0.1:" + awaitListening();
            String member = await().atMost(Duration.ofSeconds(60))
                    .until(() -> find(log, CLUSTER_ADDRESS), Optional::isPresent).orElseThrow();
            String[] node = {"filter-node", "--cluster-name", cluster, "--cluster-members", member, "--dns-port", "0",
                    "--upstream", "127.0.0.1:" + upstream.address().getPort(), "--node-id", "it-node"};
            String name = "www.xn--80awbu3c.xn--80ao21a"; // below мысал.қаз of examples/restrict.json

            try (Node first = Node.launch(this, node)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> dig(first.port(), name),
                        answer -> answer.contains("status: NOERROR") && answer.contains("192.0.2.53"));
                signAndSubmit(url, "restrict");
                await().atMost(Duration.ofSeconds(30)).until(() -> dig(first.port(), name),
                        answer -> answer.contains("status: NXDOMAIN")
                                && answer.contains("EDE: 16 (Censored): (restricted by directive DEMO-2026-0001)"));
                first.kill();
            }

            signAndSubmit(url, "restore"); // while no node runs

            try (Node restarted = Node.launch(this, node)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> dig(restarted.port(), name),
                        answer -> answer.contains("status: NOERROR") && answer.contains("192.0.2.53"));
            }
        }
    }

    @Test
    void anOperatorPullsTheListWithThePullClientsOwnJarAndNoneOfTheGatewaysLibraries() throws Exception {
        start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "-1", "--no-filter-node",
                "--cluster-name", "it-" + UUID.randomUUID());
        int port = awaitListening();
        String url = "http://127.0.0.1:" + port;
        signAndSubmit(url, "restrict");
        String admin = Files.readString(workDir.resolve("data/admin-token")).strip();
        HttpResponse<String> registered = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(url + "/api/v1/operators")).header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"kt\",\"name\":\"Kazakhtelecom\","
                                + "\"bin\":\"990740000029\",\"role\":\"OPERATOR\",\"channel\":\"PULL_ONLY\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String token = new io.vertx.core.json.JsonObject(registered.body()).getString("token");
        Path pullJar = Path.of(System.getProperty("qaqpa.pull.jar")).toAbsolutePath();
        try (var libraries = Files.list(pullJar.resolveSibling("lib"))) {
            assertThat(libraries.map(jar -> jar.getFileName().toString()))
                    .as("what an operator's host needs").noneMatch(jar -> jar.matches("(hazelcast|netty|vertx|h2|postgresql).*"));
        }

        ProcessBuilder pull = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", pullJar.toString(), "--url", url, "--dir", "copy", "--format", "jsonl,rpz",
                "--gateway-certificate", "data/pki/gateway.pem").directory(workDir.toFile()).redirectErrorStream(true);
        pull.environment().put("QAQPA_TOKEN", token);
        Process pulling = pull.start();
        String printed = new String(pulling.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pulling.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(pulling.exitValue()).as(printed).isZero();
        assertThat(Files.readString(workDir.resolve("copy/blocklist.rpz")))
                .contains("\nxn--80awbu3c.xn--80ao21a CNAME .\n").contains("\n*.xn--80awbu3c.xn--80ao21a CNAME .\n")
                .contains("\nexample.kz CNAME .\n");
        assertThat(Files.readAllLines(workDir.resolve("copy/blocklist.jsonl"))).hasSize(5);
    }

    private void signAndSubmit(String url, String example) throws Exception {
        Path document = Path.of(System.getProperty("qaqpa.examples")).resolve(example + ".json");
        assertThat(run("sign", "--key", "data/pki/signer.key", "--cert", "data/pki/signer.pem",
                "--out", example + ".p7m", document.toString()).exit()).isZero();
        Tool submitted = run("submit", "--url", url, example + ".p7m");
        assertThat(submitted.exit()).as(submitted.output()).isZero();
    }

    /** A {@code qaqpa filter-node} process and the DNS port it reported. */
    private record Node(Process process, Path output, String port) implements AutoCloseable {

        static Node launch(QaqpaJarIT test, String... args) throws IOException {
            Path output = Files.createTempFile("qaqpa-node", ".log");
            Process process = test.launch(output, args);
            String address = await().atMost(Duration.ofSeconds(60)).failFast("filter-node exited", () -> !process.isAlive())
                    .until(() -> find(output, DNS_ADDRESS), Optional::isPresent).orElseThrow();
            return new Node(process, output, address.substring(address.lastIndexOf(':') + 1));
        }

        /** kill -9: no shutdown hook runs. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(output);
        }
    }

    private static final Pattern CLUSTER_ADDRESS = Pattern.compile("Cluster +'[^']+' at (\\S+),");
    private static final Pattern DNS_ADDRESS = Pattern.compile("DNS filtering on /(\\S+) ");

    private static Optional<String> find(Path file, Pattern pattern) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(pattern::matcher).filter(Matcher::find)
                .map(matcher -> matcher.group(1)).findFirst();
    }

    private static String dig(String port, String name) throws Exception {
        Process dig = new ProcessBuilder("dig", "@127.0.0.1", "-p", port, name, "A", "+tries=1", "+time=2")
                .redirectErrorStream(true).start();
        assertThat(dig.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    @Test
    void badOptionExitsWithOneLineAndCreatesNothing() throws Exception {
        start("gateway", "--http-port", "abc");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output()).singleElement().asString().contains("--http-port");
        assertThat(workDir.resolve("data")).doesNotExist();
    }

    @Test
    void helpListsTheCommands() throws Exception {
        start("--help");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(String.join("\n", output())).contains("gateway");
    }

    private void start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        log = Files.createTempFile("qaqpa-it", ".log");
        process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String metricsWith(int port, String token) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A finished tool run: its exit code and everything it printed. */
    private record Tool(int exit, String output) {
    }

    /** Runs a qaqpa tool command in the work directory to its end. */
    private Tool run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path toolLog = Files.createTempFile("qaqpa-tool", ".log");
        try {
            Process tool = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(toolLog.toFile()).start();
            assertThat(tool.waitFor(60, TimeUnit.SECONDS)).as("qaqpa " + String.join(" ", args) + " ends").isTrue();
            return new Tool(tool.exitValue(), Files.readString(toolLog, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(toolLog);
        }
    }

    /** Everything the process printed so far, standard output and error interleaved. */
    private List<String> output() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private int awaitListening() {
        return await().atMost(Duration.ofSeconds(60))
                .failFast("qaqpa exited early", () -> !process.isAlive())
                .until(this::listeningPort, Optional::isPresent)
                .orElseThrow();
    }

    private Optional<Integer> listeningPort() throws IOException {
        return output().stream().map(LISTENING::matcher).filter(Matcher::find)
                .map(matcher -> Integer.parseInt(matcher.group(1))).findFirst();
    }
}
