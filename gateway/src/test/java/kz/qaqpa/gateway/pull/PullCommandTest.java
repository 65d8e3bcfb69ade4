package kz.qaqpa.gateway.pull;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.cli.Qaqpa;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.pull.FeedFormat;
import kz.qaqpa.pull.PullClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import static org.assertj.core.api.Assertions.assertThat;


/** {@code qaqpa pull} against a running gateway: in step, verified, and refusing what it cannot vouch for. */
class PullCommandTest {

    private static final List<String> FORMATS = List.of("jsonl", "csv", "rpz", "domains");

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String token;
    private Path copy;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        token = authority.register("puller", "OPERATOR", "PULL_ONLY", null);
        copy = dir.resolve("copy");
    }

    @AfterEach
    void stop() {
        authority.close();
    }

    @Test
    void theTokenOnTheCommandLineIsRefusedNamingWhereItGoesAndNothingIsFetched() {
        CommandLine command = Qaqpa.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));

        int exit = command.execute("pull", "--url", "http://127.0.0.1:" + authority.gateway.httpPort(), "--token", token,
                "--dir", copy.toString(), "--gateway-certificate", gatewayCertificate().toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--token would be visible to every user of this host")
                .contains("QAQPA_TOKEN").contains("--token-file").doesNotContain(token);
        assertThat(copy).doesNotExist();
    }

    @Test
    void firstPullTakesASnapshotThenFollowsTheChangesAndEveryFileIsWhatTheGatewayServes() throws Exception {
        authority.submit(DirectiveJson.restrict("P-1").domain("casino.kz", true).target("IP", "203.0.113.7"));

        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("snapshot");
        assertSameAsTheGateway();

        authority.submit(DirectiveJson.restrict("P-2").domain("casino.kz", true).domain("more.kz", false));
        authority.submit(DirectiveJson.restore("P-3", "P-1"));
        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("changes");
        assertSameAsTheGateway();
        assertThat(Files.readString(copy.resolve("blocklist.jsonl"))).contains("P-2").doesNotContain("P-1\"");
    }

    @Test
    void copyFurtherBehindThanTheKeptChangesIsReplacedByASnapshot() throws Exception {
        authority.submit(DirectiveJson.restrict("S-1").domain("first.kz", false));
        assertThat(pull(gatewayCertificate())).isZero();
        authority.submit(DirectiveJson.restrict("S-2").domain("second.kz", false));
        ChangeLog.prune(authority.gateway.database().dataSource(), 0, Duration.ZERO, Instant.now().plusSeconds(1));

        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("snapshot");
        assertSameAsTheGateway();
    }

    @Test
    void copyChangedByHandStopsTheRunAndIsLeftAsItIs() throws Exception {
        authority.submit(DirectiveJson.restrict("T-1").domain("tamper.kz", false));
        assertThat(pull(gatewayCertificate())).isZero();
        Files.writeString(copy.resolve(".qaqpa/blocklist.jsonl"),
                "{\"type\":\"DOMAIN\",\"value\":\"planted.kz\",\"includeSubdomains\":false,\"directive\":\"X\",\"since\":1}\n",
                StandardOpenOption.APPEND);
        byte[] zone = Files.readAllBytes(copy.resolve("blocklist.rpz"));
        authority.submit(DirectiveJson.restrict("T-2").domain("later.kz", false));

        assertThat(pull(gatewayCertificate())).isEqualTo(3);

        assertThat(err.toString()).contains("was changed after it was verified");
        assertThat(Files.readAllBytes(copy.resolve("blocklist.rpz"))).isEqualTo(zone);
    }

    @Test
    void filesAreLeftReadableForTheResolverRewrittenOnlyWhenTheyChangeAndAHandEditIsRefused() throws Exception {
        authority.submit(DirectiveJson.restrict("O-1").domain("first.kz", false));
        Path reloads = dir.resolve("reloads.txt");
        String[] options = {"--file-mode", "0640", "--group", "nogroup", "--on-change", "echo reload >> " + reloads};

        assertThat(pull(gatewayCertificate(), options)).as(err.toString()).isZero();
        Path rpz = copy.resolve("blocklist.rpz");
        assertThat(Files.getPosixFilePermissions(rpz)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.readAttributes(rpz, PosixFileAttributes.class).group().getName()).isEqualTo("nogroup");
        assertThat(Files.readAllLines(reloads)).hasSize(1);

        // Nothing new at the gateway: no file is touched and the resolver is not reloaded.
        FileTime written = Files.getLastModifiedTime(rpz);
        Object inode = Files.readAttributes(rpz, BasicFileAttributes.class).fileKey();
        assertThat(pull(gatewayCertificate(), options)).as(err.toString()).isZero();
        assertThat(Files.readAttributes(rpz, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(rpz)).isEqualTo(written);
        assertThat(Files.readAllLines(reloads)).hasSize(1);

        authority.submit(DirectiveJson.restrict("O-2").domain("second.kz", false));
        assertThat(pull(gatewayCertificate(), options)).as(err.toString()).isZero();
        assertThat(Files.readString(rpz)).contains("second.kz");
        assertThat(Files.readAllLines(reloads)).hasSize(2);

        // Someone edits the zone the resolver loads: the next run refuses, and leaves it for a person to see.
        Files.writeString(rpz, "planted.kz CNAME .\n", StandardOpenOption.APPEND);
        authority.submit(DirectiveJson.restrict("O-3").domain("third.kz", false));
        assertThat(pull(gatewayCertificate(), options)).isEqualTo(3);
        assertThat(err.toString()).contains("blocklist.rpz was changed after it was written");
        assertThat(Files.readString(rpz)).contains("planted.kz").doesNotContain("third.kz");
    }

    @Test
    void withoutOptionsTheFilesAreReadableByEveryoneForResolverDaemons() throws Exception {
        authority.submit(DirectiveJson.restrict("M-1").domain("mode.kz", false));
        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        for (String format : FORMATS) {
            assertThat(Files.getPosixFilePermissions(copy.resolve("blocklist." + format)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void manifestNotSignedByTheGatewaysCertificateIsRefusedAndNothingIsWritten() throws Exception {
        authority.submit(DirectiveJson.restrict("F-1").domain("forged.kz", false));

        assertThat(pull(authority.signer.certificate())).isEqualTo(4);

        assertThat(err.toString()).contains("not signed by the gateway's certificate");
        assertThat(copy.resolve("blocklist.rpz")).doesNotExist();
        assertThat(copy.resolve(".qaqpa/state.json")).doesNotExist();
    }

    @Test
    void aMirrorThatSendsMoreThanTheSignedManifestStatesIsCutOffThereAndNothingIsReplaced() throws Exception {
        authority.submit(DirectiveJson.restrict("B-1").domain("bomb.kz", false));
        long serial = 1;
        WireMockServer mirror = mirror();
        try {
            // A gzip bomb in place of the snapshot: 1 GiB of zeros in about 1 MiB.
            mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist")).atPriority(1).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Encoding", "gzip").withHeader(FeedFormat.SERIAL_HEADER, Long.toString(serial))
                    .withBody(gzip(new byte[1 << 20], 1024))));

            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(4);

            assertThat(err.toString()).contains("larger than the").contains("bytes its signed manifest states");
            assertThat(copy.resolve(".qaqpa/next.jsonl")).doesNotExist();
            assertThat(copy.resolve(".qaqpa/state.json")).doesNotExist();
        } finally {
            mirror.stop();
        }
    }

    @Test
    void aMirrorThatSendsAnEndlessChangeLineOrTooManyChangesIsStoppedAndTheCopyIsLeftAsItIs() throws Exception {
        authority.submit(DirectiveJson.restrict("L-1").domain("first.kz", false));
        assertThat(pull(gatewayCertificate())).isZero();
        byte[] zone = Files.readAllBytes(copy.resolve("blocklist.rpz"));
        authority.submit(DirectiveJson.restrict("L-2").domain("second.kz", false));
        WireMockServer mirror = mirror();
        try {
            byte[] line = new byte[1 << 20];
            java.util.Arrays.fill(line, (byte) 'a');
            mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist/changes")).atPriority(1).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Encoding", "gzip").withHeader(FeedFormat.SERIAL_HEADER, "2")
                    .withBody(gzip(line, 256))));
            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(4);
            assertThat(err.toString()).contains("a change line longer than");

            String change = authority.as(token, "GET", "/api/v1/blocklist/changes?since=1", null).body().strip() + "\n";
            mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist/changes")).atPriority(1).willReturn(aResponse()
                    .withStatus(200).withHeader(FeedFormat.SERIAL_HEADER, "2").withBody(change.repeat(1000))));
            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(4);
            assertThat(err.toString()).contains("more changes than the 1 from serial 1 to 2");
            assertThat(Files.readAllBytes(copy.resolve("blocklist.rpz"))).isEqualTo(zone);
        } finally {
            mirror.stop();
        }
    }

    @Test
    void aMirrorServingAnOlderSignedStateIsARollbackAndTheCopyStaysAsItIs() throws Exception {
        authority.submit(DirectiveJson.restrict("R-1").domain("first.kz", false));
        byte[] olderHead = fromGateway("/api/v1/log/sth");
        authority.submit(DirectiveJson.restrict("R-2").domain("casino.kz", true));
        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        byte[] zone = Files.readAllBytes(copy.resolve("blocklist.rpz"));
        String state = Files.readString(copy.resolve(".qaqpa/state.json"));
        WireMockServer mirror = mirror();
        try {
            // Genuinely signed, not expired — and older than what the operator already holds.
            mirror.stubFor(get(urlPathEqualTo("/api/v1/log/sth")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody(olderHead)));

            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(7);

            assertThat(err.toString()).contains("rollback").contains("serial 1").contains("serial 2");
            assertThat(Files.readAllBytes(copy.resolve("blocklist.rpz"))).isEqualTo(zone);
            assertThat(Files.readString(copy.resolve(".qaqpa/state.json"))).isEqualTo(state);
        } finally {
            mirror.stop();
        }
    }

    @Test
    void aMirrorReplayingAnOlderSignedSnapshotAndManifestIsARollbackAndTheCopyStaysAsItIs() throws Exception {
        // The attack as it was found: serial 1's snapshot and manifest, genuinely signed, served
        // again once the operator holds serial 2 — and the restriction added at 2 would disappear.
        authority.submit(DirectiveJson.restrict("R-1").domain("first.kz", false));
        byte[] olderSnapshot = fromGateway("/api/v1/blocklist?format=jsonl");
        byte[] olderManifest = fromGateway("/api/v1/blocklist/manifest?serial=1");
        byte[] olderSignature = fromGateway("/api/v1/blocklist/manifest.p7s?serial=1");
        authority.submit(DirectiveJson.restrict("R-2").domain("casino.kz", true));
        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        byte[] zone = Files.readAllBytes(copy.resolve("blocklist.rpz"));
        WireMockServer mirror = mirror();
        try {
            mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist/changes")).atPriority(1).willReturn(aResponse()
                    .withStatus(410).withHeader("Content-Type", "application/problem+json").withBody("{}")));
            serves(mirror, 1, olderSnapshot, olderManifest, olderSignature);

            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(7);

            assertThat(err.toString()).contains("rollback");
            assertThat(Files.readAllBytes(copy.resolve("blocklist.rpz"))).isEqualTo(zone);
            assertThat(Files.readString(copy.resolve("blocklist.rpz"))).contains("casino.kz");
        } finally {
            mirror.stop();
        }
    }

    @Test
    void aHistoryThatDoesNotExtendTheOneVerifiedIsAForkAndTheCopyStaysAsItIs() throws Exception {
        authority.submit(DirectiveJson.restrict("F-1").domain("first.kz", false).domain("second.kz", false));
        assertThat(pull(gatewayCertificate())).as(err.toString()).isZero();
        byte[] zone = Files.readAllBytes(copy.resolve("blocklist.rpz"));
        authority.submit(DirectiveJson.restrict("F-2").domain("casino.kz", true));
        // The mirror passes on the gateway's genuine head, and a proof of its own that the head extends the copy's.
        JsonObject genuine = new JsonObject(authority.as(token, "GET", "/api/v1/log/consistency?first=2&second=3", null).body());
        String hash = genuine.getJsonArray("proof").getString(0);
        String forged = genuine.copy().put("proof", new JsonArray().add((hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1)))
                .encode();
        WireMockServer mirror = mirror();
        try {
            mirror.stubFor(get(urlPathEqualTo("/api/v1/log/consistency")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(forged)));

            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(7);

            assertThat(err.toString()).contains("fork");
            assertThat(Files.readAllBytes(copy.resolve("blocklist.rpz"))).isEqualTo(zone);
        } finally {
            mirror.stop();
        }
        assertThat(pull(gatewayCertificate())).as("from the gateway itself: " + err).isZero();
    }

    /**
     * A snapshot and a manifest that agree, signed with the gateway's key, and the genuine log root:
     * what a gateway serving a damaged snapshot (or anyone holding its key outside the log) would
     * give. The tree head's set hash commits to the set itself; before it, the pull wrote the list
     * without the restricted name and exited 0.
     */
    @Test
    void aSnapshotThatIsNotTheSetTheSignedHeadCommitsToIsRefusedAndNothingIsWritten() throws Exception {
        authority.submit(DirectiveJson.restrict("S-1").domain("casino.kz", true).domain("bet.kz", false));
        String genuine = new String(fromGateway("/api/v1/blocklist?format=jsonl"), StandardCharsets.UTF_8);
        String forged = genuine.lines().filter(line -> !line.contains("casino.kz")).map(line -> line + "\n")
                .collect(java.util.stream.Collectors.joining());
        byte[] forgedBytes = forged.getBytes(StandardCharsets.UTF_8);
        JsonObject manifest = new JsonObject(new String(fromGateway("/api/v1/blocklist/manifest?serial=2"), StandardCharsets.UTF_8))
                .put("count", 1).put("bytes", forgedBytes.length)
                .put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(forgedBytes)));
        byte[] manifestBytes = manifest.encode().getBytes(StandardCharsets.UTF_8);
        byte[] signature = kz.qaqpa.directives.signature.DocumentSigner.load(dir.resolve("data/pki/gateway.key"),
                java.util.Optional.of(gatewayCertificate()), java.util.Optional.empty()).sign(manifestBytes, false);
        WireMockServer mirror = mirror();
        try {
            serves(mirror, 2, forgedBytes, manifestBytes, signature);

            assertThat(pullFrom(gatewayCertificate(), mirror.baseUrl())).as(err.toString()).isEqualTo(4);

            assertThat(err.toString()).contains("is not the set the signed tree head of size 2 commits to");
            assertThat(copy.resolve("blocklist.rpz")).doesNotExist();
        } finally {
            mirror.stop();
        }
        assertThat(pull(gatewayCertificate())).as("from the gateway itself: " + err).isZero();
        assertThat(Files.readString(copy.resolve("blocklist.rpz"))).contains("casino.kz");
    }

    @Test
    void aFrozenMirrorIsFoundOnceItsTreeHeadExpiresAndNothingIsWritten() throws Exception {
        authority.submit(DirectiveJson.restrict("Z-1").domain("first.kz", false));
        byte[] frozenHead = fromGateway("/api/v1/log/sth");
        WireMockServer mirror = mirror();
        try {
            mirror.stubFor(get(urlPathEqualTo("/api/v1/log/sth")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody(frozenHead)));
            // The same answer, read by an operator whose clock is past the head's expiry (max-staleness, 60 s).
            PullClient late = new PullClient(java.net.URI.create(mirror.baseUrl() + "/"), token,
                    certificate(gatewayCertificate()), copy, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61)));

            PullClient.PullException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    PullClient.PullException.class, () -> late.pull(List.of(FeedFormat.RPZ), "rpz.qaqpa."));

            assertThat(refused.status()).isEqualTo(8);
            assertThat(refused.getMessage()).contains("expired");
            assertThat(copy.resolve("blocklist.rpz")).doesNotExist();
            assertThat(copy.resolve(".qaqpa/state.json")).doesNotExist();
        } finally {
            mirror.stop();
        }
    }

    /** The exact bytes the gateway answers, as a mirror records them. */
    private byte[] fromGateway(String path) throws Exception {
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + authority.gateway.httpPort()
                        + path)).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static java.security.cert.X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    /** A mirror between the gateway and the operator: passes everything on, except what a test stubs. */
    private WireMockServer mirror() {
        WireMockServer mirror = new WireMockServer(options().dynamicPort().gzipDisabled(true));
        mirror.start();
        mirror.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse()
                .proxiedFrom("http://127.0.0.1:" + authority.gateway.httpPort())));
        return mirror;
    }

    private static byte[] gzip(byte[] block, int times) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            for (int i = 0; i < times; i++) {
                out.write(block);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * {@code --receipt}: the operator's pull client says, signed, which state it holds, and the
     * authority sees it beside the recipient — once it registered the key the client made. A receipt
     * signed with another key, or naming another recipient, is refused and changes nothing; one
     * stating a root the log never had is kept, flagged.
     */
    @Test
    void aPullPostsASignedReceiptTheAuthoritySeesAndAForgedOneIsRefused() throws Exception {
        authority.submit(DirectiveJson.restrict("P-1").domain("casino.kz", true));

        assertThat(pull(gatewayCertificate(), "--receipt", "puller")).as(out.toString()).isEqualTo(9);
        Path publicKey = copy.resolve(".qaqpa/puller.pub");
        assertThat(err.toString()).contains("no key is registered").contains(publicKey.toString());
        assertThat(copy.resolve("blocklist.jsonl")).as("the copy is written all the same").exists();
        assertThat(operator("puller").getValue("receipt")).isNull();

        assertThat(send("POST", "/api/v1/operators/puller/key", SigningGateway.ADMIN, "application/x-pem-file",
                Files.readString(publicKey)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/operators/nobody/key", SigningGateway.ADMIN, "application/x-pem-file",
                Files.readString(publicKey)).statusCode()).isEqualTo(404);
        authority.submit(DirectiveJson.restrict("P-2").domain("more.kz", false));
        assertThat(pull(gatewayCertificate(), "--receipt", "puller")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("receipt for serial 2: OK");
        JsonObject held = operator("puller").getJsonObject("receipt");
        assertThat(held.getLong("treeSize")).isEqualTo(2);
        assertThat(held.getString("flag")).isEqualTo("OK");
        assertThat(held.getString("state")).isEqualTo("VERIFIED");
        assertThat(held.getString("rootHash")).as("the root of the head it verified").isEqualTo(sthRoot());

        ReceiptKey theirs = ReceiptKey.loadOrCreate(copy.resolve(".qaqpa"), "puller");
        ReceiptKey another = ReceiptKey.loadOrCreate(dir.resolve("elsewhere"), "puller");
        Receipt rolledBack = new Receipt("puller", 1, sthRoot(), held.getString("setHash"), "VERIFIED", Instant.now());
        assertThat(postReceipt(rolledBack, another).body()).as("another key").contains("receipt-invalid");
        Receipt someoneElses = new Receipt("other-operator", 2, sthRoot(), held.getString("setHash"), "VERIFIED", Instant.now());
        assertThat(postReceipt(someoneElses, theirs).body()).as("another recipient").contains("receipt-invalid");
        Receipt bloated = new Receipt("puller", 2, sthRoot(), held.getString("setHash"), "x".repeat(2_000), Instant.now());
        assertThat(postReceipt(bloated, theirs).body()).as("larger than a receipt is").contains("receipt-invalid");
        assertThat(operator("puller").getJsonObject("receipt")).as("unchanged").isEqualTo(held);

        Receipt wrongRoot = new Receipt("puller", 2, "ab".repeat(32), held.getString("setHash"), "VERIFIED", Instant.now());
        HttpResponse<String> disagreeing = postReceipt(wrongRoot, theirs);
        assertThat(disagreeing.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(disagreeing.body()).getString("flag")).isEqualTo("DISAGREES");
        assertThat(operator("puller").getJsonObject("receipt").getString("flag")).isEqualTo("DISAGREES");

        // Someone with the database changes the receipt kept: it no longer verifies, and is not shown as the recipient's.
        try (java.sql.Connection connection = authority.gateway.database().dataSource().getConnection()) {
            connection.createStatement().executeUpdate("UPDATE recipient_receipt SET receipt = REPLACE(receipt, '\"treeSize\":2', "
                    + "'\"treeSize\":1') WHERE recipient_id = 'puller'");
        }
        HttpResponse<String> altered = authority.as(SigningGateway.ADMIN, "GET", "/api/v1/operators/puller", null);
        assertThat(altered.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(altered.body()).getValue("receipt")).isNull();
    }

    private JsonObject operator(String id) throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/operators/" + id, null).body());
    }

    /** The root of the gateway's latest signed head, as openssl-free Java reads it. */
    private String sthRoot() throws Exception {
        HttpResponse<byte[]> sth = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + authority.gateway.httpPort() + "/public/v1/log/sth")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return kz.qaqpa.blocklist.model.log.TreeHead.parse(kz.qaqpa.blocklist.model.log.GatewaySignature
                .attachedContent(sth.body(), certificate(gatewayCertificate())).orElseThrow()).rootHash();
    }

    private HttpResponse<String> postReceipt(Receipt receipt, ReceiptKey key) throws Exception {
        return send("POST", "/api/v1/receipts", token, "application/json", new JsonObject()
                .put("receipt", Base64.getEncoder().encodeToString(receipt.bytes()))
                .put("signature", Base64.getEncoder().encodeToString(receipt.sign(key.privateKey()))).encode());
    }

    private HttpResponse<String> send(String method, String path, String bearer, String contentType, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + authority.gateway.httpPort() + path))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", contentType)
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code mirror} serves the snapshot of {@code serial} with its manifest and the manifest's signature. */
    private static void serves(WireMockServer mirror, long serial, byte[] snapshot, byte[] manifest, byte[] signature) {
        mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader(FeedFormat.SERIAL_HEADER, Long.toString(serial)).withBody(snapshot)));
        mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist/manifest")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody(manifest)));
        mirror.stubFor(get(urlPathEqualTo("/api/v1/blocklist/manifest.p7s")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody(signature)));
    }

    private int pull(Path certificate, String... options) {
        return pullFrom(certificate, "http://127.0.0.1:" + authority.gateway.httpPort(), options);
    }

    private int pullFrom(Path certificate, String url, String... options) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = Qaqpa.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        List<String> args = new java.util.ArrayList<>(List.of("pull", "--url", url, "--token-file", TestGateways.tokenFile(dir, token).toString(),
                "--dir", copy.toString(), "--format", String.join(",", FORMATS), "--gateway-certificate", certificate.toString()));
        args.addAll(List.of(options));
        return command.execute(args.toArray(String[]::new));
    }

    private Path gatewayCertificate() {
        return dir.resolve("data/pki/gateway.pem");
    }

    private void assertSameAsTheGateway() throws Exception {
        for (String format : FORMATS) {
            String served = authority.as(token, "GET", "/api/v1/blocklist?format=" + format, null).body();
            assertThat(Files.readString(copy.resolve("blocklist." + format), StandardCharsets.UTF_8)).as(format).isEqualTo(served);
        }
    }
}
