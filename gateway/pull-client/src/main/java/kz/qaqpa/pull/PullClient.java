package kz.qaqpa.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.model.log.TreeHead;

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

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run ended with; {@code written} names the files whose content changed; {@code head} is
     * the signed tree head (attached CMS) the copy was verified against.
     */
    public record Result(long serial, long count, boolean snapshot, List<Path> written, byte[] head) {
    }

    /**
     * How the output files are left for the resolver that reads them.
     *
     * @param mode     their permissions (resolver daemons read them as another user)
     * @param group    their group, when set (such as {@code bind})
     * @param onChange a shell command run after a run that changed any file ({@code rndc reload rpz.qaqpa})
     */
    public record Output(Set<PosixFilePermission> mode, Optional<String> group, Optional<String> onChange) {

        public static Output defaults() {
            return new Output(PosixFilePermissions.fromString("rw-r--r--"), Optional.empty(), Optional.empty());
        }
    }

    private final GatewayHttp http;
    private final GatewayLog log;
    private final Clock clock;
    private final X509Certificate gatewayCertificate;
    private final Path dir;
    private final Path state;
    /** A change names one target (at most 4,096 characters, each up to 3 UTF-8 bytes after escaping) and a few fields. */
    private static final int MAX_CHANGE_LINE_BYTES = 64 * 1024;

    public PullClient(URI gateway, String token, X509Certificate gatewayCertificate, Path dir) {
        this(gateway, token, gatewayCertificate, dir, Clock.systemUTC());
    }

    /** @param clock what a tree head's expiry is judged by */
    public PullClient(URI gateway, String token, X509Certificate gatewayCertificate, Path dir, Clock clock) {
        this.http = new GatewayHttp(gateway, Optional.of(token));
        this.clock = clock;
        this.log = new GatewayLog(http, gatewayCertificate, clock, "/api/v1/log");
        this.gatewayCertificate = gatewayCertificate;
        this.dir = dir;
        this.state = dir.resolve(".qaqpa");
    }

    public Result pull(List<FeedFormat> formats, String rpzOrigin) throws IOException, InterruptedException {
        return pull(formats, rpzOrigin, Output.defaults());
    }

    /**
     * One run: in step with the gateway, verified, each output file rewritten only when its content
     * changes, and refused (exit 3) when an output file was changed by hand since it was written.
     */
    public Result pull(List<FeedFormat> formats, String rpzOrigin, Output output) throws IOException, InterruptedException {
        Files.createDirectories(state);
        Path held = verifiedCopy();
        Path next = state.resolve("next.jsonl");
        Held verified = Held.read(state.resolve("state.json"));
        if (verified != null) {
            checkUnchanged(verified, held);
        }
        // The signed head first: what the gateway has committed, how recently, and that it extends
        // what was verified before. The list is then brought to exactly that size.
        GatewayLog.Signed signed = treeHead(verified);
        TreeHead head = signed.head();
        boolean snapshot = false;
        long serial;
        if (verified == null) {
            serial = snapshot(next);
            snapshot = true;
        } else {
            Optional<List<BlocklistChange>> changes = changes(verified.serial(), head.treeSize());
            if (changes.isPresent()) {
                Canonical.apply(held, changes.get(), next);
                serial = head.treeSize();
            } else {
                serial = snapshot(next);
                snapshot = true;
            }
        }
        Canonical candidate;
        try {
            if (verified != null && serial < verified.serial()) {
                throw new PullException(7, "rollback: the snapshot served is at serial " + serial + ", older than the serial "
                        + verified.serial() + " already verified; nothing was replaced");
            }
            if (serial > head.treeSize()) {
                // The list moved on between the head and the snapshot: a newer head must cover it.
                signed = treeHead(verified);
                head = signed.head();
                if (serial > head.treeSize()) {
                    throw new PullException(8, "the gateway serves the list at serial " + serial
                            + " but its signed tree head is at " + head.treeSize() + "; nothing was replaced");
                }
            }
            if (serial < head.treeSize()) {
                Path snapshotFile = state.resolve("snapshot.jsonl");
                Files.move(next, snapshotFile, StandardCopyOption.REPLACE_EXISTING);
                try {
                    long taken = serial;
                    Canonical.apply(snapshotFile, changes(taken, head.treeSize()).orElseThrow(() -> new PullException(5,
                            "the gateway no longer keeps the changes after its own snapshot of serial " + taken)), next);
                } finally {
                    Files.deleteIfExists(snapshotFile);
                }
            }
            serial = head.treeSize();
            candidate = Canonical.of(next);
            verify(serial, candidate, head);
            Files.move(next, held, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
        List<Path> written = new ArrayList<>();
        Map<String, String> outputs = new java.util.TreeMap<>();
        for (FeedFormat format : formats) {
            Path file = dir.resolve("blocklist." + format.formatName());
            Path temporary = Files.createTempFile(dir, ".blocklist", ".part");
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                format.render(held, serial, rpzOrigin, out);
            }
            String sha256 = Canonical.of(temporary).sha256();
            outputs.put(file.getFileName().toString(), sha256);
            if (Files.exists(file) && Canonical.of(file).sha256().equals(sha256)) {
                Files.delete(temporary); // unchanged: left alone, so a resolver watching it has nothing to reload
                leaveFor(file, output);
                continue;
            }
            leaveFor(temporary, output);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(file);
        }
        new Held(serial, candidate.count(), candidate.sha256(), Optional.of(head.rootHash()), outputs)
                .write(state.resolve("state.json"));
        if (!written.isEmpty() && output.onChange().isPresent()) {
            runOnChange(output.onChange().get());
        }
        return new Result(serial, candidate.count(), snapshot, written, signed.cms());
    }

    /** The copy and the files written are as they were verified and written, or the run stops (exit 3). */
    private void checkUnchanged(Held verified, Path held) throws IOException {
        if (!Files.exists(held)) {
            throw new PullException(3, held + " is gone although serial " + verified.serial() + " was verified; delete "
                    + state + " to start again from a snapshot");
        }
        for (Map.Entry<String, String> written : verified.outputs().entrySet()) {
            Path file = dir.resolve(written.getKey());
            if (!Files.exists(file)) {
                continue; // deleted: written again below
            }
            String now = Canonical.of(file).sha256();
            if (!now.equals(written.getValue())) {
                throw new PullException(3, file + " was changed after it was written (SHA-256 " + written.getValue()
                        + ", now " + now + "); delete it to have it written again");
            }
        }
        Canonical local = Canonical.of(held);
        if (!local.sha256().equals(verified.sha256()) || local.count() != verified.count()) {
            throw new PullException(3, held + " was changed after it was verified at serial " + verified.serial()
                    + " (SHA-256 " + verified.sha256() + ", now " + local.sha256() + "); delete " + state
                    + " to start again from a snapshot");
        }
    }

    /**
     * The gateway's latest tree head (signed, not expired: {@link GatewayLog}) and — when a head was
     * verified before — the same history extended.
     */
    private GatewayLog.Signed treeHead(Held verified) throws IOException, InterruptedException {
        GatewayLog.Signed signed = log.latest();
        if (verified != null && verified.root().isPresent()) {
            log.checkExtends(verified.serial(), HexFormat.of().parseHex(verified.root().get()), signed.head());
        }
        return signed;
    }

    /**
     * Posts the receipt "recipient {@code id} holds the log at the size, root and set hash of the
     * head {@code result} was verified against", signed with the key {@code .qaqpa/ID.key} (made on
     * first use beside {@code ID.pub}, which the authority registers: {@code POST
     * /api/v1/operators/ID/key}); returns the gateway's judgement ({@code OK} or {@code DISAGREES}).
     * Refused (no key registered, another key, another recipient's token): exit 9.
     */
    public String postReceipt(String id, Result result) throws IOException, InterruptedException {
        ReceiptKey key = ReceiptKey.loadOrCreate(state, id);
        TreeHead head = log.read(result.head());
        Receipt receipt = new Receipt(id, head.treeSize(), head.rootHash(), head.setHash(), "VERIFIED", clock.instant());
        String body = JSON.createObjectNode().put("receipt", Base64.getEncoder().encodeToString(receipt.bytes()))
                .put("signature", Base64.getEncoder().encodeToString(receipt.sign(key.privateKey()))).toString();
        HttpResponse<InputStream> response = http.post("/api/v1/receipts", body);
        if (response.statusCode() != 201) {
            try {
                GatewayHttp.expectOk(response, "the receipt");
            } catch (PullException e) {
                throw new PullException(9, "the copy is verified and written, but " + e.getMessage()
                        + (response.statusCode() == 409 ? " (the key to register: " + key.publicKeyFile() + ")" : ""));
            }
        }
        try (InputStream answer = GatewayHttp.decoded(response)) {
            return JSON.readTree(answer.readNBytes(GatewayHttp.MAX_SMALL_BYTES)).path("flag").asText("?");
        }
    }

    /** The copy verified last, in the canonical JSON lines ({@code BlocklistLines}); absent before the first run. */
    public Path verifiedCopy() {
        return state.resolve("blocklist.jsonl");
    }

    /** The changes after {@code since} up to {@code upTo}; empty when the gateway no longer keeps them (410). */
    private Optional<List<BlocklistChange>> changes(long since, long upTo) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.get("/api/v1/blocklist/changes?since=" + since + "&upTo=" + upTo);
        if (response.statusCode() == 410) {
            response.body().close();
            return Optional.empty();
        }
        GatewayHttp.expectOk(response, "changes since " + since);
        if (serialOf(response) != upTo) {
            throw new PullException(4, "asked for the changes up to serial " + upTo + ", the gateway sent them up to "
                    + serialOf(response) + "; nothing was replaced");
        }
        // Each serial is one change: no more lines than that, none longer than a change can be.
        long most = upTo - since;
        List<BlocklistChange> feed = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(GatewayHttp.decoded(response))) {
            for (String line = line(in); line != null; line = line(in)) {
                if (!line.isBlank()) {
                    if (feed.size() == most) {
                        throw new PullException(4, "the gateway sent more changes than the " + most
                                + " from serial " + since + " to " + upTo + "; nothing was replaced");
                    }
                    feed.add(BlocklistLines.change(line));
                }
            }
        }
        return Optional.of(feed);
    }

    /** Gives a file the mode and group the resolver needs to read it. */
    private static void leaveFor(Path file, Output output) throws IOException {
        Files.setPosixFilePermissions(file, output.mode());
        if (output.group().isPresent()) {
            GroupPrincipal group;
            try {
                group = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(output.group().get());
            } catch (IOException e) {
                throw new PullException(2, "--group: no group " + output.group().get());
            }
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group);
        }
    }

    private void runOnChange(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile()).inheritIO().start();
        int status = process.waitFor();
        if (status != 0) {
            throw new PullException(6, "the files changed and are verified, but --on-change '" + command + "' exited "
                    + status);
        }
    }

    /**
     * Downloads the snapshot, but no more of it than its signed manifest says it is: a mirror or a
     * gateway that sends more (a decompression bomb, an endless body) is stopped there.
     */
    private long snapshot(Path target) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.get("/api/v1/blocklist?format=jsonl");
        GatewayHttp.expectOk(response, "the snapshot");
        long serial = serialOf(response);
        long stated = manifest(serial).path("bytes").asLong(Long.MAX_VALUE);
        try (InputStream body = GatewayHttp.decoded(response); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long copied = 0;
            for (int read = body.read(buffer); read > 0; read = body.read(buffer)) {
                copied += read;
                if (copied > stated) {
                    out.close();
                    Files.delete(target);
                    throw new PullException(4, "the snapshot of serial " + serial + " is larger than the " + stated
                            + " bytes its signed manifest states; nothing was replaced");
                }
                out.write(buffer, 0, read);
            }
        }
        return serial;
    }

    /** The manifest at {@code serial}, once its signature by the gateway is checked. */
    private JsonNode manifest(long serial) throws IOException, InterruptedException {
        byte[] manifest = http.small("/api/v1/blocklist/manifest?serial=" + serial, "the manifest of serial " + serial);
        byte[] signature = http.small("/api/v1/blocklist/manifest.p7s?serial=" + serial, "the manifest's signature");
        if (!GatewayLog.signedDetached(manifest, signature, gatewayCertificate)) {
            throw new PullException(4, "the manifest of serial " + serial + " is not signed by the gateway's certificate "
                    + gatewayCertificate.getSubjectX500Principal());
        }
        try {
            return JSON.readTree(manifest);
        } catch (IOException e) {
            throw new PullException(4, "the manifest of serial " + serial + " is signed but not JSON");
        }
    }

    /**
     * The manifest at {@code serial} is signed by the gateway, states exactly what {@code candidate}
     * is, and ties it to the log root of the signed {@code head}; and {@code candidate} is the set
     * the head commits to.
     */
    private void verify(long serial, Canonical candidate, TreeHead head) throws IOException, InterruptedException {
        JsonNode stated = manifest(serial);
        if (stated.path("serial").asLong(-1L) != serial || stated.path("count").asLong(-1L) != candidate.count()
                || !candidate.sha256().equals(stated.path("sha256").asText(null))) {
            throw new PullException(4, "the list received does not match the gateway's signed manifest: "
                    + stated + " against serial " + serial + ", count " + candidate.count() + ", SHA-256 "
                    + candidate.sha256() + "; nothing was replaced");
        }
        if (serial != head.treeSize() || !head.rootHash().equals(stated.path("rootHash").asText(null))) {
            throw new PullException(4, "the manifest of serial " + serial + " states log root "
                    + stated.path("rootHash").asText("(none)") + ", the signed tree head of size " + head.treeSize()
                    + " " + head.rootHash() + "; nothing was replaced");
        }
        String set = Canonical.setHash(candidate.file());
        if (!set.equals(head.setHash())) {
            throw new PullException(4, "the list received (set hash " + set + ") is not the set the signed tree head of "
                    + "size " + head.treeSize() + " commits to (" + head.setHash() + "); nothing was replaced");
        }
    }

    /** One line of a change feed without its newline, or null at the end; a line longer than a change can be stops the run. */
    private static String line(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() == MAX_CHANGE_LINE_BYTES) {
                throw new PullException(4, "a change line longer than " + MAX_CHANGE_LINE_BYTES + " bytes; nothing was replaced");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static long serialOf(HttpResponse<?> response) {
        return response.headers().firstValue(FeedFormat.SERIAL_HEADER).map(Long::parseLong)
                .orElseThrow(() -> new PullException(5, "the gateway's answer has no " + FeedFormat.SERIAL_HEADER));
    }

    /**
     * The serial, count and SHA-256 the local copy was verified at, the log root of the signed tree
     * head it was verified against (absent in a copy from before tree heads), and the SHA-256 of each
     * output file written.
     */
    private record Held(long serial, long count, String sha256, Optional<String> root, Map<String, String> outputs) {

        static Held read(Path file) throws IOException {
            if (!Files.exists(file)) {
                return null;
            }
            JsonNode json = JSON.readTree(Files.readString(file));
            Map<String, String> outputs = new java.util.TreeMap<>();
            json.path("outputs").fields().forEachRemaining(field -> outputs.put(field.getKey(), field.getValue().asText()));
            return new Held(json.path("serial").asLong(), json.path("count").asLong(), json.path("sha256").asText(),
                    Optional.ofNullable(json.path("root").textValue()), outputs);
        }

        void write(Path file) throws IOException {
            Path temporary = file.resolveSibling(file.getFileName() + ".part");
            ObjectNode held = JSON.createObjectNode().put("serial", serial).put("count", count).put("sha256", sha256);
            root.ifPresent(hash -> held.put("root", hash));
            ObjectNode written = held.putObject("outputs");
            outputs.forEach(written::put);
            Files.writeString(temporary, JSON.writeValueAsString(held) + "\n");
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
