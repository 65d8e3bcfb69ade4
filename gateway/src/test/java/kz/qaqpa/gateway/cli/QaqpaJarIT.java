package kz.qaqpa.gateway.cli;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
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
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.dns.FakeUpstream;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.StreamRecord;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.blocklist.replica.BlocklistPublisher;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
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

    /**
     * The attack on the cluster, performed against the packaged gateway and a node in its own
     * process: a Hazelcast client that knows only the cluster's name and address (Hazelcast's
     * open-source edition asks for nothing else) writes a forged removal of a restricted name into
     * the stream, then takes the name out of the map and announces a reload. Before signed heads,
     * the node lifted the restriction at once (NXDOMAIN became NOERROR).
     */
    @Test
    void aRogueClusterClientCannotLiftARestrictionOnAFilteringNodeInItsOwnProcess() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream()) {
            String cluster = "it-" + UUID.randomUUID();
            start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "-1", "--no-filter-node",
                    "--cluster-name", cluster);
            int port = awaitListening();
            String url = "http://127.0.0.1:" + port;
            String member = await().atMost(Duration.ofSeconds(60))
                    .until(() -> find(log, CLUSTER_ADDRESS), Optional::isPresent).orElseThrow();
            String name = "www.xn--80awbu3c.xn--80ao21a"; // below мысал.қаз of examples/restrict.json
            try (Node node = Node.launch(this, "filter-node", "--cluster-name", cluster, "--cluster-members", member,
                    "--dns-port", "0", "--upstream", "127.0.0.1:" + upstream.address().getPort(), "--node-id", "it-node")) {
                signAndSubmit(url, "restrict");
                await().atMost(Duration.ofSeconds(30)).until(() -> dig(node.port(), name), answer -> answer.contains("NXDOMAIN"));
                assertThat(nodeState(port)).isEqualTo("VERIFIED");
                // The authority registers the key the node made on its first start; its receipts count from then on.
                String admin = Files.readString(workDir.resolve("data/admin-token")).strip();
                HttpResponse<String> registered = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(url + "/api/v1/nodes/it-node/key")).header("Authorization", "Bearer " + admin)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(workDir.resolve("data/nodes/it-node.pub"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> nodeField(port, "flag").equals("OK"));

                HazelcastInstance rogue = ClusterClient.connect(new ClusterSettings(cluster, "127.0.0.1", 0, List.of(member)));
                try {
                    long next = ReplicatedBlocklist.publishedSerial(rogue) + 1;
                    BlocklistChange lifted = new BlocklistChange(next, Operation.REMOVE, TargetKind.DOMAIN,
                            "xn--80awbu3c.xn--80ao21a", true, Optional.empty(), "DEMO-2026-0002");
                    rogue.<StreamRecord>getRingbuffer(ReplicatedBlocklist.CHANGES)
                            .add(new LoggedChange(lifted, "0".repeat(64)));
                    List<String> answers = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(10)).until(() -> {
                        answers.add(dig(node.port(), name));
                        return nodeState(port).equals("TAMPERED");
                    });
                    rogue.getMap(ReplicatedBlocklist.ENTRIES).delete(lifted.key());
                    rogue.<StreamRecord>getRingbuffer(ReplicatedBlocklist.CHANGES).add(new Reload(next - 1));
                    for (int i = 0; i < 20; i++) {
                        answers.add(dig(node.port(), name));
                    }
                    assertThat(answers).as("every answer while the rogue wrote").allMatch(answer -> answer.contains("NXDOMAIN"));
                } finally {
                    rogue.shutdown();
                }
                // The node told the gateway; the gateway's publisher loaded the cluster whole again.
                await().atMost(Duration.ofSeconds(60)).until(() -> nodeState(port).equals("VERIFIED"));
                assertThat(dig(node.port(), name)).contains("NXDOMAIN");
                assertThat(send(port, "GET", "/health/ready").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> nodeField(port, "flag").equals("OK"));
                String metrics = metricsWith(port, admin);
                assertThat(metrics).contains("qaqpa_filter_nodes{flag=\"OK\"} 1.0")
                        .contains("qaqpa_filter_nodes{flag=\"TAMPERED\"} 0.0").contains("qaqpa_blocklist_head_age_seconds ");
            }
        }
    }

    /**
     * The other attack on the cluster: a rogue client holds the publishing lock, so that nothing new
     * reaches the nodes through the cluster. A node given the gateway's feed (an operator's token)
     * takes the new restriction over HTTP — checked against the gateway's signed head like the
     * cluster's — once its last head expires, while the rogue still holds the lock. Without the
     * feed it would go STALE and keep resolving the name.
     */
    @Test
    void aRogueHoldingPublishingCannotKeepANewRestrictionFromANodeWithTheGatewaysFeed() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream()) {
            String cluster = "it-" + UUID.randomUUID();
            start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "-1", "--no-filter-node",
                    "--cluster-name", cluster, "--sth-interval", "1s", "--max-staleness", "4s");
            int port = awaitListening();
            String url = "http://127.0.0.1:" + port;
            String member = await().atMost(Duration.ofSeconds(60))
                    .until(() -> find(log, CLUSTER_ADDRESS), Optional::isPresent).orElseThrow();
            Path token = Files.writeString(workDir.resolve("operator-token"), registerPullOperator(url));
            String name = "www.xn--80awbu3c.xn--80ao21a"; // below мысал.қаз of examples/restrict.json
            try (Node node = Node.launch(this, "filter-node", "--cluster-name", cluster, "--cluster-members", member,
                    "--dns-port", "0", "--upstream", "127.0.0.1:" + upstream.address().getPort(), "--node-id", "it-node",
                    "--gateway-url", url, "--token-file", token.toString())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> dig(node.port(), name),
                        answer -> answer.contains("status: NOERROR"));

                HazelcastInstance rogue = ClusterClient.connect(new ClusterSettings(cluster, "127.0.0.1", 0, List.of(member)));
                try {
                    rogue.getMap(ReplicatedBlocklist.META).lock(BlocklistPublisher.PUBLISHING);
                    signAndSubmit(url, "restrict");
                    await().atMost(Duration.ofSeconds(30)).until(() -> dig(node.port(), name),
                            answer -> answer.contains("status: NXDOMAIN"));
                    assertThat(ReplicatedBlocklist.publishedSerial(rogue)).as("the cluster still frozen at the old serial")
                            .isZero();
                    assertThat(rogue.getMap(ReplicatedBlocklist.META).isLocked(BlocklistPublisher.PUBLISHING)).isTrue();
                    assertThat(Files.readString(node.output())).contains("taken from its feed");
                } finally {
                    rogue.shutdown(); // its lock goes with it
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> nodeState(port).equals("VERIFIED"));
                assertThat(dig(node.port(), name)).contains("NXDOMAIN");
            }
        }
    }

    /** Registers the operator kt (pull only) with the gateway's admin token; its token. */
    /**
     * The packaged node filtering subscribers' traffic behind a balancer (the test writes the PROXY
     * v1 header itself): before the directive the origin answers; after it, the request for its URL
     * target gets 451 whose {@code blocked-by} link is the gateway's public page of the directive,
     * and the refusal is counted in the node's metrics, which only the token's holder reads; after
     * the RESTORE the origin answers again.
     */
    @Test
    void aFilteringNodeRefusesARestrictedUrlWithTheDirectivesPageAndLiftsItOnRestore() throws Exception {
        com.sun.net.httpserver.HttpServer origin = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange -> {
            byte[] body = ("origin " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        try (FakeUpstream upstream = new FakeUpstream()) {
            String cluster = "it-" + UUID.randomUUID();
            start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "-1", "--no-filter-node",
                    "--cluster-name", cluster);
            String url = "http://127.0.0.1:" + awaitListening();
            String member = await().atMost(Duration.ofSeconds(60))
                    .until(() -> find(log, CLUSTER_ADDRESS), Optional::isPresent).orElseThrow();
            int metricsPort = kz.qaqpa.blocklist.net.FreePorts.take(1)[0];
            Files.writeString(workDir.resolve("metrics-token"), "scrape-me\n");
            try (Node node = Node.launch(this, "filter-node", "--cluster-name", cluster, "--cluster-members", member,
                    "--dns-port", "0", "--upstream", "127.0.0.1:" + upstream.address().getPort(), "--node-id", "it-traffic",
                    "--traffic-listen", "proxy@127.0.0.1:0", "--public-url", url,
                    "--metrics-listen", "127.0.0.1:" + metricsPort, "--metrics-token-file", "metrics-token")) {
                int traffic = Integer.parseInt(await().atMost(Duration.ofSeconds(30))
                        .until(() -> find(node.output(), TRAFFIC_ADDRESS), Optional::isPresent).orElseThrow());
                // examples/restrict.json restricts https://example.com/unlawful/page.html: the same resource over plain HTTP.
                String request = "GET /unlawful/page.html HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";
                await().atMost(Duration.ofSeconds(30)).until(() -> through(traffic, origin, request),
                        answer -> answer.endsWith("origin /unlawful/page.html"));

                signAndSubmit(url, "restrict");
                String refused = await().atMost(Duration.ofSeconds(30)).until(() -> through(traffic, origin, request),
                        answer -> answer.startsWith("HTTP/1.1 451"));
                String page = url + "/public/v1/directives/DEMO-2026-0001";
                assertThat(refused).contains("Link: <" + page + ">; rel=\"blocked-by\"");
                HttpResponse<String> directive = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(page)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(directive.statusCode()).isEqualTo(200);
                assertThat(directive.body()).contains("DEMO-2026-0001");

                assertThat(metricsWith(metricsPort, "not-the-token")).doesNotContain("qaqpa_traffic");
                assertThat(metricsWith(metricsPort, "scrape-me"))
                        .contains("qaqpa_traffic_refused_total{directive=\"DEMO-2026-0001\",reason=\"url\"} 1.0")
                        .contains("qaqpa_dns_answers_total{answer=\"upstream_timeout\"}"); // the DNS side's, for the alerts

                signAndSubmit(url, "restore");
                await().atMost(Duration.ofSeconds(30)).until(() -> through(traffic, origin, request),
                        answer -> answer.endsWith("origin /unlawful/page.html"));
            }
        } finally {
            origin.stop(0);
        }
    }

    private static final Pattern TRAFFIC_ADDRESS = Pattern.compile("Traffic filtering on /[0-9.]+:(\\d+) ");

    /** One request through the node's PROXY listener to {@code origin}, and everything that came back. */
    private static String through(int port, com.sun.net.httpserver.HttpServer origin, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PROXY TCP4 10.0.0.1 127.0.0.1 40000 " + origin.getAddress().getPort() + "\r\n"
                    + request).getBytes(StandardCharsets.ISO_8859_1));
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (java.net.SocketException e) {
                // Refused (no verified list yet): nothing came.
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private String registerPullOperator(String url) throws Exception {
        String admin = Files.readString(workDir.resolve("data/admin-token")).strip();
        HttpResponse<String> registered = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(url + "/api/v1/operators")).header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"kt\",\"name\":\"Kazakhtelecom\","
                                + "\"bin\":\"990740000029\",\"role\":\"OPERATOR\",\"channel\":\"PULL_ONLY\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return new io.vertx.core.json.JsonObject(registered.body()).getString("token");
    }

    /** The state the node it-node reports, as /api/v1/nodes shows it. */
    private String nodeState(int port) throws Exception {
        return nodeField(port, "state");
    }

    /** A field of node it-node in /api/v1/nodes. */
    private String nodeField(int port, String field) throws Exception {
        String admin = Files.readString(workDir.resolve("data/admin-token")).strip();
        HttpResponse<String> nodes = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/nodes")).header("Authorization", "Bearer " + admin)
                .build(), HttpResponse.BodyHandlers.ofString());
        return new io.vertx.core.json.JsonObject(nodes.body()).getJsonArray("nodes").stream()
                .map(io.vertx.core.json.JsonObject.class::cast).filter(node -> node.getString("id").equals("it-node"))
                .map(node -> node.getString(field)).findFirst().orElse("");
    }

    @Test
    void anOperatorPullsTheListWithThePullClientsOwnJarAndNoneOfTheGatewaysLibraries() throws Exception {
        start("gateway", "--http-port", "0", "--hazelcast-port", "0", "--xfr-port", "-1", "--no-filter-node",
                "--cluster-name", "it-" + UUID.randomUUID());
        int port = awaitListening();
        String url = "http://127.0.0.1:" + port;
        signAndSubmit(url, "restrict");
        String token = registerPullOperator(url);
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
    void aFilteringNodesBadTrafficOptionExitsWithOneLineAndCreatesNothing() throws Exception {
        for (String[] bad : List.of(new String[] {"--traffic-listen", "udp@127.0.0.1:1"},
                new String[] {"--traffic-listen", "proxy@127.0.0.1:1", "--tls-alert", "bad_certificate"},
                new String[] {"--metrics-listen", "127.0.0.1:1"})) {
            List<String> args = new ArrayList<>(List.of("filter-node", "--cluster-members", "127.0.0.1:1"));
            args.addAll(List.of(bad));
            Tool node = run(args.toArray(String[]::new));
            assertThat(node.exit()).as(node.output()).isEqualTo(2);
            assertThat(node.output().strip().lines()).as(node.output()).singleElement().asString()
                    .contains(bad[bad.length - 2].equals("--metrics-listen") ? "--metrics-token-file" : bad[bad.length - 2]);
            assertThat(workDir.resolve("data")).as("nothing made for %s", List.of(bad)).doesNotExist();
        }
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
