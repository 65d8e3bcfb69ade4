package kz.qaqpa.gateway.blocklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.model.log.GatewaySignature;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.blocklist.model.log.TreeHead;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code /api/v1/nodes} believes: a node's signed receipt, checked against the key the
 * authority registered for it and against the gateway's own log — never the plain report, which a
 * process on the cluster port writes as easily as the node.
 */
class NodeReceiptsTest {

    @TempDir
    Path dir;
    private SigningGateway authority;
    private HazelcastInstance rogue;

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(), AppealSettings.defaults(),
                new FilterNodeSettings(true, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 9), Duration.ofSeconds(1)));
        var member = authority.gateway.cluster().hazelcast().getCluster().getLocalMember().getSocketAddress();
        rogue = ClusterClient.connect(new ClusterSettings(authority.gateway.config().cluster().name(), "127.0.0.1", 0,
                List.of(member.getHostString() + ":" + member.getPort())));
    }

    @AfterEach
    void stop() {
        rogue.shutdown();
        authority.close();
    }

    @Test
    void theGatewaysOwnNodeIsJudgedByItsReceiptWhichStatesTheSignedHead() throws Exception {
        authority.submit(DirectiveJson.restrict("R-1").domain("casino.kz", true).domain("bet.kz", false));

        JsonObject node = await().atMost(Duration.ofSeconds(20)).until(() -> embedded(nodes()),
                found -> found != null && found.getJsonObject("receipt") != null
                        && found.getJsonObject("receipt").getLong("treeSize") == 2);

        assertThat(node.getString("flag")).isEqualTo("OK");
        assertThat(node.getLong("lag")).isZero();
        byte[] sth = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + authority.gateway.httpPort() + "/public/v1/log/sth")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        TreeHead head = GatewaySignature.treeHead(sth, kz.qaqpa.pull.PullCommand.certificate(null,
                dir.resolve("data/pki/gateway.pem"))).orElseThrow();
        assertThat(node.getJsonObject("receipt").getString("rootHash")).isEqualTo(head.rootHash());
        assertThat(node.getJsonObject("receipt").getString("setHash")).isEqualTo(head.setHash());
    }

    @Test
    void aReportWrittenByAnyoneButTheNodeIsFlaggedAndNeverBelieved() throws Exception {
        authority.submit(DirectiveJson.restrict("R-1").domain("casino.kz", false));
        String id = await().atMost(Duration.ofSeconds(20)).until(() -> embedded(nodes()), found -> found != null
                && "OK".equals(found.getString("flag"))).getString("id");
        ReceiptKey forger = ReceiptKey.loadOrCreate(dir.resolve("rogue"), "rogue");
        // The rogue claims the node enforces serial 999 and signs for it with a key of its own.
        Receipt lie = new Receipt(id, 999, "ab".repeat(32), SetHash.empty().digest(), "VERIFIED", Instant.now());
        NodeStatus fake = new NodeStatus(id, "127.0.0.1:53", 999, true, System.currentTimeMillis(), NodeStatus.State.VERIFIED,
                "", lie.bytes(), lie.sign(forger.privateKey()));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                rogue.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set(id, fake);
            }
        });
        writer.start();
        try {
            boolean seenForged = false;
            for (int i = 0; i < 40 && !seenForged; i++) {
                JsonObject node = embedded(nodes());
                assertThat(node.getJsonObject("receipt") == null ? 0 : node.getJsonObject("receipt").getLong("treeSize"))
                        .as("the forged serial is never shown as the node's").isLessThan(999);
                seenForged = "FORGED".equals(node.getString("flag"));
            }
            assertThat(seenForged).as("the forged report is flagged").isTrue();
        } finally {
            writing.set(false);
            writer.join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "OK".equals(embedded(nodes()).getString("flag")));

        // A node nobody registered, and a registered one whose receipt states a root the log never had.
        rogue.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set("ghost", new NodeStatus("ghost", "x", 1, true,
                System.currentTimeMillis(), NodeStatus.State.VERIFIED, "", lie.bytes(), lie.sign(forger.privateKey())));
        assertThat(authority.as(SigningGateway.ADMIN, "POST", "/api/v1/nodes/liar/key", null).statusCode())
                .as("no body").isEqualTo(400);
        assertThat(registerKey("liar", forger.publicKeyPem() + "x".repeat(1_000)).statusCode()).as("too long").isEqualTo(400);
        assertThat(registerKey("../etc", forger.publicKeyPem()).statusCode()).as("not a node id").isIn(400, 404);
        assertThat(registerKey("liar", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n").statusCode())
                .isEqualTo(400);
        assertThat(registerKey("liar", forger.publicKeyPem()).statusCode()).isEqualTo(200);
        Receipt wrongRoot = new Receipt("liar", 1, "cd".repeat(32), SetHash.empty().digest(), "VERIFIED", Instant.now());
        rogue.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set("liar", new NodeStatus("liar", "x", 1, true,
                System.currentTimeMillis(), NodeStatus.State.VERIFIED, "", wrongRoot.bytes(), wrongRoot.sign(forger.privateKey())));

        // A registered node whose last receipt, genuinely signed, is ten seconds old: it has stopped.
        assertThat(registerKey("quiet", forger.publicKeyPem()).statusCode()).isEqualTo(200);
        Receipt old = new Receipt("quiet", 0, "ef".repeat(32), SetHash.empty().digest(), "VERIFIED",
                Instant.now().minusSeconds(10));
        rogue.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set("quiet", new NodeStatus("quiet", "x", 0, true,
                System.currentTimeMillis(), NodeStatus.State.VERIFIED, "", old.bytes(), old.sign(forger.privateKey())));

        JsonObject all = nodes();
        assertThat(byId(all, "quiet").getString("flag")).isEqualTo("SILENT");
        assertThat(byId(all, "ghost").getString("flag")).isEqualTo("UNREGISTERED");
        assertThat(byId(all, "ghost").getValue("receipt")).isNull();
        assertThat(byId(all, "liar").getString("flag")).isEqualTo("DISAGREES");
        long mostBehind = all.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(node -> node.getValue("lag") != null).mapToLong(node -> node.getLong("lag")).max().orElseThrow();
        assertThat(mostBehind).as("the silent node's receipt is of the empty list").isPositive();
        assertThat(authority.as(SigningGateway.ADMIN, "GET", "/metrics", null).body())
                .contains("qaqpa_filter_nodes{flag=\"UNREGISTERED\"} 1.0").contains("qaqpa_filter_nodes{flag=\"DISAGREES\"} 1.0")
                .contains("qaqpa_filter_nodes_behind " + mostBehind + ".0");
    }

    /** The receipt's signature is plain ECDSA over its bytes: openssl checks it with the node's public key. */
    @Test
    void opensslVerifiesAReceiptWithTheNodesPublicKey() throws Exception {
        ReceiptKey key = ReceiptKey.loadOrCreate(dir.resolve("keys"), "n1");
        Receipt receipt = new Receipt("n1", 3, "ab".repeat(32), SetHash.empty().digest(), "VERIFIED", Instant.now());
        Path bytes = java.nio.file.Files.write(dir.resolve("receipt.json"), receipt.bytes());
        Path signature = java.nio.file.Files.write(dir.resolve("receipt.sig"), receipt.sign(key.privateKey()));

        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", key.publicKeyFile().toString(),
                "-signature", signature.toString(), bytes.toString()).redirectErrorStream(true).start();
        String printed = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(openssl.waitFor()).as(printed).isZero();
        assertThat(printed).contains("Verified OK");
        assertThat(Receipt.verified(receipt.bytes(), receipt.sign(key.privateKey()), key.publicKey())).isEqualTo(receipt);
    }

    private java.net.http.HttpResponse<String> registerKey(String id, String pem) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + authority.gateway.httpPort() + "/api/v1/nodes/" + id + "/key"))
                .header("Authorization", "Bearer " + SigningGateway.ADMIN).header("Content-Type", "application/x-pem-file")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(pem)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject nodes() throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/nodes", null).body());
    }

    private static JsonObject embedded(JsonObject all) {
        return all.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(node -> node.getString("id").startsWith("embedded-")).findFirst().orElse(null);
    }

    private static JsonObject byId(JsonObject all, String id) {
        return all.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(node -> node.getString("id").equals(id)).findFirst().orElseThrow();
    }
}
