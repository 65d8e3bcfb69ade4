package kz.qaqpa.gateway.pull;

import static kz.qaqpa.gateway.TestGateways.assertProblemBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators' feed of the list over HTTP: formats, caching, changes, manifests, who may read it. */
class BlocklistFeedTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String operator;

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        operator = authority.register("pulling", "OPERATOR", "PULL_ONLY", null);
    }

    @AfterEach
    void stop() {
        authority.close();
    }

    @Test
    void aCellASpreadsheetWouldRunAsAFormulaIsExportedAsText() throws Exception {
        authority.submit(DirectiveJson.restrict("=HYPERLINK(\"http://evil.example\",\"x\")").domain("formula.kz", false));
        authority.submit(DirectiveJson.restrict("@SUM(1+1)").domain("at.kz", false));
        authority.submit(DirectiveJson.restrict("-2+3").domain("minus.kz", false));

        String csv = text("/api/v1/blocklist?format=csv");

        assertThat(csv).contains("DOMAIN,formula.kz,false,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",")
                .contains("DOMAIN,at.kz,false,,'@SUM(1+1),").contains("DOMAIN,minus.kz,false,,'-2+3,");
        assertThat(csv.lines().skip(1)).noneMatch(line -> line.matches("(^|.*,)[=+\\-@].*"));
    }

    @Test
    void snapshotInEveryFormatAtTheCurrentSerial() throws Exception {
        long serial = authority.submit(DirectiveJson.restrict("F-1").domain("casino.kz", true).domain("example.kz", false)
                .target("IP", "203.0.113.9").target("CIDR", "198.51.100.0/24").target("IP", "2001:db8::1")
                .target("URL", "https://bad.kz/a,b")).getLong("blocklistSerial");

        HttpResponse<byte[]> jsonl = get("/api/v1/blocklist", operator);
        assertThat(jsonl.statusCode()).isEqualTo(200);
        assertThat(jsonl.headers().firstValue("Blocklist-Serial")).contains(String.valueOf(serial));
        assertThat(jsonl.headers().firstValue("ETag")).contains("\"" + serial + "-jsonl\"");
        List<BlocklistEntry> entries = new String(jsonl.body(), StandardCharsets.UTF_8).lines().map(BlocklistLines::entry).toList();
        assertThat(entries).extracting(BlocklistEntry::key).containsExactlyInAnyOrder("DOMAIN:*.casino.kz",
                "DOMAIN:example.kz", "IP:203.0.113.9", "CIDR:198.51.100.0/24", "IP:2001:db8::1", "URL:https://bad.kz/a,b");
        assertThat(entries).extracting(BlocklistEntry::order).isSorted();
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.directive()).isEqualTo("F-1");
            assertThat(entry.since()).isBetween(1L, serial);
        });

        assertThat(text("/api/v1/blocklist?format=csv")).startsWith("type,value,includeSubdomains,host,directive,since\r\n")
                .contains("DOMAIN,casino.kz,true,,F-1,").contains("URL,\"https://bad.kz/a,b\",false,bad.kz,F-1,");
        assertThat(text("/api/v1/blocklist?format=rpz")).startsWith("$ORIGIN rpz.qaqpa.\n")
                .contains("SOA localhost. hostmaster.localhost. " + serial + " ")
                .contains("\ncasino.kz CNAME .\n").contains("\n*.casino.kz CNAME .\n").contains("\nexample.kz CNAME .\n")
                .contains("\n32.9.113.0.203.rpz-ip CNAME .\n").contains("\n24.0.100.51.198.rpz-ip CNAME .\n")
                .contains("\n128.1.zz.db8.2001.rpz-ip CNAME .\n").doesNotContain("bad.kz");
        assertThat(text("/api/v1/blocklist?format=domains").lines()).containsExactlyInAnyOrder("casino.kz", "example.kz");
        assertThat(text("/api/v1/blocklist?format=sni-hosts").lines())
                .containsExactlyInAnyOrder("casino.kz", "*.casino.kz", "example.kz");
        assertThat(text("/api/v1/blocklist?format=urls").lines()).containsExactly("https://bad.kz/a,b");
        assertThat(text("/api/v1/blocklist?format=addresses").lines())
                .containsExactlyInAnyOrder("203.0.113.9", "198.51.100.0/24", "2001:db8::1");
        HttpResponse<byte[]> byAccept = send(request("/api/v1/blocklist", operator).header("Accept", "text/dns"));
        assertThat(byAccept.headers().firstValue("Content-Type")).contains("text/dns");
        assertProblemBytes(get("/api/v1/blocklist?format=xml", operator), 400, "urn:qaqpa:problem:bad-request");
    }

    @Test
    void unchangedListIsNotSentAgainAndGzipIsSentToWhoAcceptsIt() throws Exception {
        authority.submit(DirectiveJson.restrict("G-1").domain("gzip.kz", false));
        HttpResponse<byte[]> first = get("/api/v1/blocklist?format=rpz", operator);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = send(request("/api/v1/blocklist?format=rpz", operator).header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        HttpResponse<byte[]> zipped = send(request("/api/v1/blocklist?format=rpz", operator).header("Accept-Encoding", "gzip"));
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes()).isEqualTo(first.body());

        authority.submit(DirectiveJson.restrict("G-2").domain("more.kz", false));
        assertThat(send(request("/api/v1/blocklist?format=rpz", operator).header("If-None-Match", etag)).statusCode())
                .as("a new serial is a new list").isEqualTo(200);
    }

    @Test
    void changesSinceASerialAreInOrderAndGoneOnceThePrunedLogNoLongerReachesThem() throws Exception {
        long first = authority.submit(DirectiveJson.restrict("C-1").domain("one.kz", false).domain("two.kz", false))
                .getLong("blocklistSerial");
        authority.submit(DirectiveJson.restrict("C-2").domain("two.kz", false));
        long last = authority.submit(DirectiveJson.restore("C-3", "C-1")).getLong("blocklistSerial");

        HttpResponse<byte[]> changes = get("/api/v1/blocklist/changes?since=" + first, operator);
        assertThat(changes.headers().firstValue("Blocklist-Serial")).contains(String.valueOf(last));
        assertThat(new String(changes.body(), StandardCharsets.UTF_8).lines().map(BlocklistLines::change))
                .extracting(change -> change.operation() + " " + change.value() + " " + change.directive())
                .containsExactly("REMOVE one.kz C-3", "UPDATE two.kz C-2");
        assertThat(get("/api/v1/blocklist/changes?since=" + last, operator).body()).isEmpty();
        assertProblemBytes(get("/api/v1/blocklist/changes?since=" + (last + 1), operator), 400,
                "urn:qaqpa:problem:bad-request");
        assertProblemBytes(get("/api/v1/blocklist/changes", operator), 400, "urn:qaqpa:problem:bad-request");

        ChangeLog.prune(authority.gateway.database().dataSource(), 0, Duration.ZERO, Instant.now().plusSeconds(1));

        assertProblemBytes(get("/api/v1/blocklist/changes?since=" + first, operator), 410, "urn:qaqpa:problem:changes-gone");
        assertThat(get("/api/v1/blocklist/changes?since=" + last, operator).statusCode()).isEqualTo(200);
        assertThat(text("/api/v1/blocklist").lines()).singleElement().asString().contains("two.kz", "C-2");
    }

    @Test
    void manifestStatesTheSnapshotAndIsSignedByTheGatewaysKey() throws Exception {
        long serial = authority.submit(DirectiveJson.restrict("M-1").domain("signed.kz", true)).getLong("blocklistSerial");
        byte[] snapshot = get("/api/v1/blocklist", operator).body();

        byte[] manifest = get("/api/v1/blocklist/manifest?serial=" + serial, operator).body();
        byte[] signature = get("/api/v1/blocklist/manifest.p7s?serial=" + serial, operator).body();

        JsonObject stated = new JsonObject(new String(manifest, StandardCharsets.UTF_8));
        assertThat(stated.getLong("serial")).isEqualTo(serial);
        assertThat(stated.getLong("count")).isEqualTo(1);
        assertThat(stated.getString("sha256")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(snapshot)));
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(manifest), signature);
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        X509CertificateHolder gatewayCertificate;
        try (PEMParser pem = new PEMParser(Files.newBufferedReader(dir.resolve("data/pki/gateway.pem")))) {
            gatewayCertificate = (X509CertificateHolder) pem.readObject();
        }
        assertThat(signer.getSID().match(gatewayCertificate)).isTrue();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(gatewayCertificate))).isTrue();
        // As an operator checks it with openssl, trusting the gateway's certificate and nothing else.
        Files.write(dir.resolve("manifest.json"), manifest);
        Files.write(dir.resolve("manifest.p7s"), signature);
        Process openssl = new ProcessBuilder("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", "manifest.p7s", "-content", "manifest.json", "-CAfile", dir.resolve("data/pki/gateway.pem").toString(),
                "-purpose", "any", "-out", "verified.json").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        assertThat(Files.readAllBytes(dir.resolve("verified.json"))).isEqualTo(manifest);
        assertProblemBytes(get("/api/v1/blocklist/manifest?serial=" + (serial + 5), operator), 404,
                "urn:qaqpa:problem:snapshot-not-kept");
    }

    @Test
    void onlyRecipientsAndTheAuthorityReadTheList() throws Exception {
        assertProblemBytes(send(HttpRequest.newBuilder(uri("/api/v1/blocklist"))), 401, "urn:qaqpa:problem:unauthorized");
        assertProblemBytes(get("/api/v1/blocklist", "qaqpa_not-a-token"), 401, "urn:qaqpa:problem:unauthorized");
        assertThat(get("/api/v1/blocklist", SigningGateway.ADMIN).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/blocklist/changes?since=0", operator).statusCode()).isEqualTo(200);
    }

    private String text(String path) throws Exception {
        HttpResponse<byte[]> response = get(path, operator);
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> get(String path, String token) throws Exception {
        return send(request(path, token));
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + authority.gateway.httpPort() + path);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
