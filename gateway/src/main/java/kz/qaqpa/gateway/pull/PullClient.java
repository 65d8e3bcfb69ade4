package kz.qaqpa.gateway.pull;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * An operator's copy of the list, kept in step with a gateway: a snapshot the first time, the
 * changes since the serial held afterwards (a snapshot again when the gateway no longer keeps
 * them), each state checked against the gateway's signed manifest before it replaces the last.
 *
 * <p>In {@code dir}: {@code blocklist.<format>} for each format asked for, and {@code .qaqpa/}
 * with the canonical copy and the serial, count and SHA-256 it was verified at. A copy changed by
 * hand, a manifest not signed by the gateway's certificate, or a list that does not match its
 * manifest stops the run with a {@link PullException} and leaves the files as they were.
 */
public final class PullClient {

    /** What a run ended with. */
    public record Result(long serial, long count, boolean snapshot, List<Path> written) {
    }

    private final URI gateway;
    private final String token;
    private final X509Certificate gatewayCertificate;
    private final Path dir;
    private final Path state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public PullClient(URI gateway, String token, X509Certificate gatewayCertificate, Path dir) {
        this.gateway = gateway;
        this.token = token;
        this.gatewayCertificate = gatewayCertificate;
        this.dir = dir;
        this.state = dir.resolve(".qaqpa");
    }

    public Result pull(List<FeedFormat> formats, String rpzOrigin) throws IOException, InterruptedException {
        Files.createDirectories(state);
        Path held = state.resolve("blocklist.jsonl");
        Path next = state.resolve("next.jsonl");
        long serial;
        boolean snapshot;
        Canonical candidate;
        Held verified = Held.read(state.resolve("state.json"));
        if (verified == null) {
            serial = snapshot(next);
            snapshot = true;
        } else {
            if (!Files.exists(held)) {
                throw new PullException(3, held + " is gone although serial " + verified.serial() + " was verified; delete "
                        + state + " to start again from a snapshot");
            }
            Canonical local = Canonical.of(held);
            if (!local.sha256().equals(verified.sha256()) || local.count() != verified.count()) {
                throw new PullException(3, held + " was changed after it was verified at serial " + verified.serial()
                        + " (SHA-256 " + verified.sha256() + ", now " + local.sha256() + "); delete " + state
                        + " to start again from a snapshot");
            }
            HttpResponse<InputStream> changes = get("/api/v1/blocklist/changes?since=" + verified.serial());
            if (changes.statusCode() == 410) {
                changes.body().close();
                serial = snapshot(next);
                snapshot = true;
            } else {
                expectOk(changes, "changes since " + verified.serial());
                serial = serialOf(changes);
                List<FeedChange> feed = new ArrayList<>();
                try (BufferedReader in = reader(changes)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.isBlank()) {
                            feed.add(FeedChange.parse(line));
                        }
                    }
                }
                Canonical.apply(held, feed, next);
                snapshot = false;
            }
        }
        try {
            candidate = Canonical.of(next);
            verify(serial, candidate);
            Files.move(next, held, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
        List<Path> written = new ArrayList<>();
        for (FeedFormat format : formats) {
            Path file = dir.resolve("blocklist." + format.formatName());
            Path temporary = Files.createTempFile(dir, ".blocklist", ".part");
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                format.render(held, serial, rpzOrigin, out);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(file);
        }
        new Held(serial, candidate.count(), candidate.sha256()).write(state.resolve("state.json"));
        return new Result(serial, candidate.count(), snapshot, written);
    }

    private long snapshot(Path target) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get("/api/v1/blocklist?format=jsonl");
        expectOk(response, "the snapshot");
        long serial = serialOf(response);
        try (InputStream body = decoded(response)) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return serial;
    }

    /** The manifest at {@code serial} is signed by the gateway and states exactly what {@code candidate} is. */
    private void verify(long serial, Canonical candidate) throws IOException, InterruptedException {
        byte[] manifest = bytes(get("/api/v1/blocklist/manifest?serial=" + serial), "the manifest of serial " + serial);
        byte[] signature = bytes(get("/api/v1/blocklist/manifest.p7s?serial=" + serial), "the manifest's signature");
        if (!signedByGateway(manifest, signature)) {
            throw new PullException(4, "the manifest of serial " + serial + " is not signed by the gateway's certificate "
                    + gatewayCertificate.getSubjectX500Principal());
        }
        JsonObject stated = new JsonObject(new String(manifest, StandardCharsets.UTF_8));
        if (stated.getLong("serial", -1L) != serial || stated.getLong("count", -1L) != candidate.count()
                || !candidate.sha256().equals(stated.getString("sha256"))) {
            throw new PullException(4, "the list received does not match the gateway's signed manifest: "
                    + stated.encode() + " against serial " + serial + ", count " + candidate.count() + ", SHA-256 "
                    + candidate.sha256() + "; nothing was replaced");
        }
    }

    private boolean signedByGateway(byte[] manifest, byte[] signature) {
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(manifest), signature);
            for (SignerInformation signer : cms.getSignerInfos().getSigners()) {
                X509CertificateHolder expected = new X509CertificateHolder(gatewayCertificate.getEncoded());
                if (signer.getSID().match(expected)
                        && signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(gatewayCertificate))) {
                    return true;
                }
            }
            return false;
        } catch (CMSException | OperatorCreationException | IOException | java.security.cert.CertificateException e) {
            return false;
        }
    }

    private HttpResponse<InputStream> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip")
                .timeout(Duration.ofMinutes(10))
                .GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new PullException(5, "cannot reach " + gateway + ": " + e.getMessage());
        }
    }

    private byte[] bytes(HttpResponse<InputStream> response, String what) throws IOException {
        expectOk(response, what);
        try (InputStream body = decoded(response)) {
            return body.readAllBytes();
        }
    }

    private void expectOk(HttpResponse<InputStream> response, String what) throws IOException {
        if (response.statusCode() == 200) {
            return;
        }
        String problem;
        try (InputStream body = decoded(response)) {
            problem = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        }
        String detail = problem;
        try {
            detail = new JsonObject(problem).getString("detail", problem);
        } catch (RuntimeException e) {
            // not a problem document; show it as it is
        }
        throw new PullException(5, "the gateway answered " + response.statusCode() + " for " + what + ": " + detail);
    }

    private static long serialOf(HttpResponse<?> response) {
        return response.headers().firstValue(BlocklistHandlers.SERIAL_HEADER).map(Long::parseLong)
                .orElseThrow(() -> new PullException(5, "the gateway's answer has no " + BlocklistHandlers.SERIAL_HEADER));
    }

    private static InputStream decoded(HttpResponse<InputStream> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(value -> value.equalsIgnoreCase("gzip")).orElse(false);
        return gzip ? new GZIPInputStream(response.body()) : response.body();
    }

    private static BufferedReader reader(HttpResponse<InputStream> response) throws IOException {
        return new BufferedReader(new InputStreamReader(decoded(response), StandardCharsets.UTF_8));
    }

    /** The serial, count and SHA-256 the local copy was verified at. */
    private record Held(long serial, long count, String sha256) {

        static Held read(Path file) throws IOException {
            if (!Files.exists(file)) {
                return null;
            }
            JsonObject json = new JsonObject(Files.readString(file));
            return new Held(json.getLong("serial"), json.getLong("count"), json.getString("sha256"));
        }

        void write(Path file) throws IOException {
            Path temporary = file.resolveSibling(file.getFileName() + ".part");
            Files.writeString(temporary, new JsonObject().put("serial", serial).put("count", count).put("sha256", sha256)
                    .encode() + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Why a run stopped, and the exit status the command gives for it. */
    public static final class PullException extends RuntimeException {

        private final int status;

        public PullException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
