package kz.qaqpa.gateway.pull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;
import kz.qaqpa.gateway.log.TreeHeads;
import kz.qaqpa.gateway.pull.SnapshotStore.Snapshot;
import kz.qaqpa.pull.Canonical;
import kz.qaqpa.pull.FeedFormat;

/**
 * The operators' feed of the list (their token, the State Technical Service's, or the admin token):
 * the snapshot at the current serial in any {@link FeedFormat}, the changes since a serial, and a
 * signed manifest of a snapshot so that an operator can prove what it holds. Snapshots and change
 * pages are files sent as they are, so memory stays flat however long the list.
 */
public final class BlocklistHandlers {


    private final SnapshotStore snapshots;
    private final DataSource dataSource;
    private final DocumentSigner gatewaySigner;
    private final Path scratch;
    private final TreeHeads heads;

    public BlocklistHandlers(SnapshotStore snapshots, DataSource dataSource, DocumentSigner gatewaySigner, Path scratch,
                             TreeHeads heads) {
        this.heads = heads;
        this.snapshots = snapshots;
        this.dataSource = dataSource;
        this.gatewaySigner = gatewaySigner;
        this.scratch = scratch;
    }

    /** {@code GET /api/v1/blocklist?format=} one of {@link FeedFormat} (or by {@code Accept}); ETag, 304, gzip. */
    public void snapshot(RoutingContext ctx) {
        FeedFormat format = format(ctx);
        Blocking.answer(ctx, () -> {
            Snapshot snapshot = snapshots.current();
            return Map.entry(snapshot, snapshots.rendered(snapshot, format));
        }, result -> {
            long serial = result.getKey().serial();
            String etag = "\"" + serial + "-" + format.formatName() + "\"";
            HttpServerResponse response = ctx.response()
                    .putHeader(HttpHeaders.ETAG, etag)
                    .putHeader(FeedFormat.SERIAL_HEADER, Long.toString(serial))
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
                response.setStatusCode(304).end();
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, format.mediaType())
                    .putHeader("Content-Disposition", "attachment; filename=\"blocklist-" + serial + "."
                            + format.formatName() + "\"")
                    .sendFile(result.getValue().toString());
        });
    }

    /**
     * {@code GET /api/v1/blocklist/changes?since=N[&upTo=M]}: every change after N up to M (default:
     * the current serial), one JSON object a line; 410 when the log no longer reaches back to N.
     * {@code upTo} lets a puller stop at the size of a signed tree head it holds.
     */
    public void changes(RoutingContext ctx) {
        long since = serial(ctx, "since").orElseThrow(() -> new ProblemException(ProblemType.BAD_REQUEST,
                "say since which serial: ?since=N (the serial of the snapshot you hold)"));
        Optional<Long> upTo = serial(ctx, "upTo");
        Blocking.answer(ctx, () -> {
            long current = ChangeLog.currentSerial(dataSource);
            long head = upTo.orElse(current);
            if (since > current || head > current) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "serial " + Math.max(since, head)
                        + " is ahead of the list's, " + current);
            }
            if (since > head) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "upTo " + head + " is before since " + since);
            }
            Optional<Long> oldest = ChangeLog.oldestSerial(dataSource);
            if (since < head && (oldest.isEmpty() || oldest.get() > since + 1)) {
                throw new ProblemException(ProblemType.CHANGES_GONE, "the change log starts at serial "
                        + oldest.map(String::valueOf).orElse(String.valueOf(current + 1))
                        + "; take a snapshot (GET /api/v1/blocklist) and follow the changes from its serial",
                        Map.of("serial", current));
            }
            Path page = Files.createTempFile(scratch, "changes-", ".jsonl");
            try (BufferedWriter out = Files.newBufferedWriter(page, StandardCharsets.UTF_8)) {
                long last = ChangeLog.forEachChange(dataSource, since, head, change -> {
                    out.write(BlocklistLines.line(change));
                    out.write('\n');
                });
                if (last != head) {
                    throw new IllegalStateException("changes after " + last + " were pruned while they were read");
                }
            }
            return Map.entry(head, page);
        }, result -> {
            Path page = result.getValue();
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, FeedFormat.JSONL.mediaType())
                    .putHeader(FeedFormat.SERIAL_HEADER, Long.toString(result.getKey()))
                    .sendFile(page.toString())
                    .onComplete(sent -> ctx.vertx().fileSystem().delete(page.toString()));
        });
    }

    /**
     * {@code GET /api/v1/blocklist/manifest?serial=N}: {@code {"serial","count","sha256","bytes","rootHash"}} of the
     * canonical JSON lines, {@code rootHash} the blocklist log's root at that serial.
     */
    public void manifest(RoutingContext ctx) {
        withManifest(ctx, bytes -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(bytes)));
    }

    /** {@code GET /api/v1/blocklist/manifest.p7s?serial=N}: the manifest's detached CMS signature by the gateway's key. */
    public void manifestSignature(RoutingContext ctx) {
        withManifest(ctx, bytes -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/pkcs7-signature")
                .end(Buffer.buffer(gatewaySigner.sign(bytes, false))));
    }

    /**
     * The exact bytes of a manifest; what its signature covers. {@code bytes} is the canonical list's
     * size, so that a puller downloads no more than that before it can check the rest; {@code root}
     * ties the list to the Merkle log at its serial, and so to the signed tree heads.
     */
    static byte[] manifestBytes(long serial, Canonical canonical, byte[] root) {
        long bytes;
        try {
            bytes = java.nio.file.Files.size(canonical.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new JsonObject().put("serial", serial).put("count", canonical.count()).put("sha256", canonical.sha256())
                .put("bytes", bytes).put("rootHash", HexFormat.of().formatHex(root)).encode().getBytes(StandardCharsets.UTF_8);
    }

    private void withManifest(RoutingContext ctx, java.util.function.Consumer<byte[]> answer) {
        Optional<Long> asked = serial(ctx, "serial");
        Blocking.answer(ctx, () -> {
            Optional<Snapshot> snapshot = asked.isPresent() ? snapshots.at(asked.get()) : Optional.of(snapshots.current());
            if (snapshot.isEmpty()) {
                throw new ProblemException(ProblemType.SNAPSHOT_NOT_KEPT, "no snapshot is kept for serial " + asked.get()
                        + "; kept: " + snapshots.keptSerials(), Map.of("kept", snapshots.keptSerials()));
            }
            return manifestBytes(snapshot.get().serial(), snapshot.get().canonical(), heads.root(snapshot.get().serial()));
        }, result -> {
            answer.accept(result);
        });
    }

    private static FeedFormat format(RoutingContext ctx) {
        String asked = ctx.queryParams().get("format");
        if (asked != null) {
            return FeedFormat.named(asked).orElseThrow(() -> new ProblemException(ProblemType.BAD_REQUEST,
                    "format is one of " + FeedFormat.names()));
        }
        return FeedFormat.accepted(ctx.request().getHeader(HttpHeaders.ACCEPT)).orElse(FeedFormat.JSONL);
    }

    private static Optional<Long> serial(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            long serial = Long.parseLong(text);
            if (serial >= 0) {
                return Optional.of(serial);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.BAD_REQUEST, name + " must be a serial, a whole number from 0");
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
