package kz.qaqpa.pull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.log.GatewaySignature;
import kz.qaqpa.blocklist.model.log.LogLeaf;
import kz.qaqpa.blocklist.model.log.Merkle;
import kz.qaqpa.blocklist.model.log.MerkleTree;
import kz.qaqpa.blocklist.model.log.TreeHead;
import kz.qaqpa.pull.PullClient.PullException;

/**
 * The gateway's Merkle log as a client checks it, trusting the gateway's certificate and nothing
 * else: a tree head is the gateway's signature over it (exit 4 otherwise), fresh (exit 8 once
 * expired), and a head extends an earlier one by a consistency proof of RFC 9162 (exit 7: an older
 * head is a rollback, a log that does not extend the earlier one a fork). {@code qaqpa pull} and
 * {@code qaqpa audit log verify} check it the same way.
 */
public final class GatewayLog {

    /** A verified head and the signed bytes it came in, to keep. */
    public record Signed(TreeHead head, byte[] cms) {
    }

    private final GatewayHttp http;
    private final X509Certificate certificate;
    private final Clock clock;
    private final String routes;

    /** @param routes {@code /api/v1/log} (with a token) or {@code /public/v1/log} */
    public GatewayLog(GatewayHttp http, X509Certificate certificate, Clock clock, String routes) {
        this.http = http;
        this.certificate = certificate;
        this.clock = clock;
        this.routes = routes;
    }

    /** The gateway's latest head, signed and not expired. */
    public Signed latest() throws IOException, InterruptedException {
        byte[] cms = http.small(routes + "/sth", "the signed tree head");
        TreeHead head = read(cms);
        Instant now = clock.instant();
        if (!head.isValidAt(now)) {
            throw new PullException(8, "the signed tree head of size " + head.treeSize() + " expired at " + head.expires()
                    + " (now " + now + "): the source has stopped, or serves an old state; nothing was replaced");
        }
        return new Signed(head, cms);
    }

    /** A head from its signed bytes (a kept one, or one just fetched): the gateway's signature checked, not its age. */
    public TreeHead read(byte[] cms) {
        try {
            return TreeHead.parse(signedContent(cms, "the tree head"));
        } catch (IllegalArgumentException e) {
            throw new PullException(4, "the gateway signed something that is not a tree head: " + e.getMessage());
        }
    }

    /** Refuses {@code head} unless its log extends the log of {@code size} leaves with root {@code root}. */
    public void checkExtends(long size, byte[] root, TreeHead head) throws IOException, InterruptedException {
        if (head.treeSize() < size) {
            throw new PullException(7, "rollback: the gateway's signed head is at serial " + head.treeSize()
                    + ", older than the serial " + size + " already verified; nothing was replaced");
        }
        JsonNode answer = http.json(routes + "/consistency?first=" + size + "&second=" + head.treeSize(),
                "the consistency proof from " + size + " to " + head.treeSize());
        List<byte[]> proof = new ArrayList<>();
        answer.path("proof").forEach(hash -> proof.add(hex(hash.asText(""))));
        if (!Merkle.verifyConsistency(size, head.treeSize(), root, head.root(), proof)) {
            throw new PullException(7, "fork: the gateway's log at serial " + head.treeSize() + " does not extend the log "
                    + "verified at serial " + size + " (a history rewritten); nothing was replaced");
        }
    }

    /**
     * The set of targets in force at {@code serial}, proved: the leaves of serials 1 to {@code serial}
     * (leaf hashes recomputed here from their fields), whose tree is shown by a consistency proof to
     * begin the log of {@code head}, replayed in order. Needs the token routes ({@code /api/v1/log}):
     * leaves name targets. Keys in their order, each with the directive it was enforced under.
     */
    public SortedMap<String, String> setAt(long serial, TreeHead head) throws IOException, InterruptedException {
        if (serial < 0 || serial > head.treeSize()) {
            throw new PullException(2, "serial " + serial + " is not in the log, which has " + head.treeSize() + " leaves");
        }
        MerkleTree tree = new MerkleTree();
        SortedMap<String, String> set = new TreeMap<>();
        for (long from = 1; from <= serial; from += LogLeaf.PAGE) {
            long to = Math.min(serial, from + LogLeaf.PAGE - 1);
            JsonNode page = http.json(routes + "/leaves?from=" + from + "&to=" + to, "the leaves " + from + " to " + to);
            long expected = from;
            for (JsonNode item : page.path("leaves")) {
                LogLeaf leaf;
                try {
                    leaf = new LogLeaf(item.path("serial").asLong(), Operation.valueOf(item.path("operation").asText()),
                            item.path("key").asText(), item.path("directive").asText(),
                            item.path("documentSha256").asText());
                } catch (IllegalArgumentException e) {
                    throw new PullException(4, "leaf " + expected + " is not a leaf: " + e.getMessage());
                }
                if (leaf.serial() != expected++) {
                    throw new PullException(4, "asked for leaf " + (expected - 1) + ", the gateway sent " + leaf.serial());
                }
                tree.append(leaf.hash());
                if (leaf.operation().restricts()) {
                    set.put(leaf.key(), leaf.directive());
                } else {
                    set.remove(leaf.key());
                }
            }
            if (expected != to + 1) {
                throw new PullException(4, "asked for the leaves " + from + " to " + to + ", the gateway sent fewer");
            }
        }
        checkExtends(serial, tree.root(), head);
        return set;
    }

    /** The content of an attached CMS signature by the gateway's certificate, or exit 4. */
    byte[] signedContent(byte[] signed, String what) {
        return GatewaySignature.attachedContent(signed, certificate).orElseThrow(() -> new PullException(4,
                what + " is not signed by the gateway's certificate " + certificate.getSubjectX500Principal()));
    }

    /** Whether {@code signature} is a detached CMS signature of {@code content} by {@code certificate}. */
    static boolean signedDetached(byte[] content, byte[] signature, X509Certificate certificate) {
        return GatewaySignature.detached(content, signature, certificate);
    }

    private static byte[] hex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new PullException(4, "not a hash: " + text);
        }
    }
}
