package kz.qaqpa.loadtest;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.StreamRecord;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.TrustFiles;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;

/**
 * A gateway in the benchmark's JVM (its embedded H2 database in {@code dir/data}, one Hazelcast
 * member) and filtering nodes started as processes of their own from the packaged jar
 * ({@code qaqpa.jar filter-node}, joined as Hazelcast clients), optionally pinned to CPUs. Nodes
 * report what they enforce to the cluster's node map, which this JVM reads: one clock for the
 * submission and the enforcement.
 */
public final class BenchmarkCluster implements AutoCloseable {

    /** A filtering node process. */
    public record Node(String id, Process process, Path log) {

        /** Its resident set size now, in bytes (Linux). */
        public long rssBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            throw new IOException("no VmRSS for process " + process.pid());
        }

        /** The CPU time it has used so far (user and system), in seconds. */
        public double cpuSeconds() {
            return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
        }
    }

    private final Path dir;
    private final String clusterName;
    private final Gateway gateway;
    private final IMap<String, NodeStatus> reports;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchmarkCluster(Path dir, String clusterName, Gateway gateway) {
        this.dir = dir;
        this.clusterName = clusterName;
        this.gateway = gateway;
        this.reports = gateway.cluster().hazelcast().getMap(ReplicatedBlocklist.NODES);
    }

    /** Starts the gateway on the embedded H2 in {@code dir/data} (made when missing, kept as it is otherwise). */
    public static BenchmarkCluster start(Path dir, BenchmarkAuthority authority) throws Exception {
        return start(dir, authority, DatabaseSettings.embedded(dir.resolve("data")));
    }

    /** Starts the gateway on {@code database}, its data directory {@code dir/data}, trusting the authority. */
    public static BenchmarkCluster start(Path dir, BenchmarkAuthority authority, DatabaseSettings database) throws Exception {
        String name = "bench-" + UUID.randomUUID();
        GatewayConfig config = GatewayConfig.onLoopback(dir.resolve("data"), database,
                        new ClusterSettings(name, "127.0.0.1", 0, List.of()))
                .withShutdownGrace(Duration.ofSeconds(5))
                .withTrust(new TrustFiles(List.of(authority.ca()), List.of(authority.certificate()), List.of()));
        return new BenchmarkCluster(dir, name, Gateway.start(config));
    }

    /** Calls {@code listener} with every report a node makes, on a Hazelcast event thread. */
    public void onReport(Consumer<NodeStatus> listener) {
        class Reports implements EntryAddedListener<String, NodeStatus>, EntryUpdatedListener<String, NodeStatus> {
            @Override
            public void entryAdded(EntryEvent<String, NodeStatus> event) {
                listener.accept(event.getValue());
            }

            @Override
            public void entryUpdated(EntryEvent<String, NodeStatus> event) {
                listener.accept(event.getValue());
            }
        }
        reports.addEntryListener(new Reports(), true);
    }

    /**
     * Starts a filtering node process: {@code java -Xmx<heap> -Xmn16m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -jar
     * jar filter-node …} on any DNS port,
     * forwarding to {@code upstream}; under {@code taskset -c cpus} unless cpus is empty. JVM options
     * in the environment variable {@code QAQPA_NODE_JAVA_OPTS} are added to its command line.
     */
    public Node startNode(String id, Path jar, String heap, String upstream, String cpus) throws IOException {
        int hazelcastPort = gateway.cluster().hazelcast().getCluster().getLocalMember().getSocketAddress().getPort();
        List<String> command = new ArrayList<>();
        if (!cpus.isEmpty()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        // As the README starts a node.
        command.addAll(List.of("java", "-Xmx" + heap, "-Xmn16m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        String extra = System.getenv("QAQPA_NODE_JAVA_OPTS"); // e.g. a flight recording while profiling a node
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "filter-node", "--cluster-name", clusterName,
                "--cluster-members", "127.0.0.1:" + hazelcastPort, "--dns-port", "0", "--node-id", id,
                "--upstream", upstream, "--gateway-certificate",
                EmbeddedDefaults.gatewayCertificate(gateway.config().dataDir()).toAbsolutePath().toString()));
        Path log = dir.resolve(id + ".log");
        // In the benchmark's directory: a node keeps its own key in data/nodes there.
        Node node = new Node(id, new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(), log);
        nodes.add(node);
        return node;
    }

    /** Waits until the cluster holds the gateway's list at {@code serial} or later, and a signed head for it. */
    public void awaitPublished(long serial, Duration timeout) throws Exception {
        HazelcastInstance hazelcast = gateway.cluster().hazelcast();
        waitFor(() -> ReplicatedBlocklist.publishedSerial(hazelcast) >= serial
                && ReplicatedBlocklist.latestHead(hazelcast).filter(head -> head.serial() >= serial).isPresent(), timeout,
                "the gateway to publish serial " + serial + " and sign its head");
    }

    /**
     * Makes every node copy the list anew, as a cluster replaced under it or a process on the
     * cluster port can: a reload marker at {@code serial} in the stream of changes.
     */
    public void makeNodesReload(long serial) {
        gateway.cluster().hazelcast().<StreamRecord>getRingbuffer(ReplicatedBlocklist.CHANGES).add(new Reload(serial));
    }

    /** Whether the node {@code id} reports a consistent state at {@code serial} or later. */
    public boolean enforces(String id, long serial) {
        NodeStatus status = reports.get(id);
        return status != null && caughtUp(serial).test(status);
    }

    /** Waits until {@code count} nodes report a consistent state at {@code serial} or later; their reports. */
    public List<NodeStatus> awaitNodes(int count, long serial, Duration timeout) throws Exception {
        Predicate<NodeStatus> caughtUp = caughtUp(serial);
        waitFor(() -> reports.values().stream().filter(caughtUp).count() >= count, timeout,
                count + " nodes to enforce serial " + serial);
        return reports.values().stream().filter(caughtUp).toList();
    }

    private static Predicate<NodeStatus> caughtUp(long serial) {
        return status -> status.consistent() && status.appliedSerial() >= serial;
    }

    /** Submits a signed directive; returns the 201's body, or fails with what the gateway said. */
    public JsonObject submit(byte[] signed) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                        + "/api/v1/directives")).header("Content-Type", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("HTTP " + answer.statusCode() + " " + answer.body());
        }
        return new JsonObject(answer.body());
    }

    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void waitFor(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(20); // polling a condition in a benchmark harness, not in a test
        }
    }

    public void stopNode(Node node) throws InterruptedException {
        node.process().destroy();
        if (!node.process().waitFor(10, TimeUnit.SECONDS)) {
            node.process().destroyForcibly().waitFor();
        }
        reports.remove(node.id());
        nodes.remove(node);
    }

    @Override
    public void close() throws Exception {
        for (Node node : List.copyOf(nodes)) {
            stopNode(node);
        }
        gateway.close();
    }
}
