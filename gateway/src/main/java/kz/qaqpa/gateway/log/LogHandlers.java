package kz.qaqpa.gateway.log;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import kz.qaqpa.adapters.recipient.RecipientReceipts;
import kz.qaqpa.blocklist.model.log.LogLeaf;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.directives.blocklist.BlocklistLog;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The blocklist's Merkle log for auditors and operators: the signed tree head, consistency and
 * inclusion proofs (hashes only: these are also public), and the leaves themselves (which name
 * targets: for recipients and the authority).
 */
public final class LogHandlers {

    private final TreeHeads heads;
    private final DataSource dataSource;
    private final RecipientReceipts receipts;
    private final Clock clock;

    public LogHandlers(TreeHeads heads, DataSource dataSource, RecipientReceipts receipts, Clock clock) {
        this.heads = heads;
        this.dataSource = dataSource;
        this.receipts = receipts;
        this.clock = clock;
    }

    /**
     * {@code POST /api/v1/receipts}: a recipient's signed statement of the state it holds
     * ({@code qaqpa pull --receipt}), {@code {"receipt": base64, "signature": base64}}. Kept when it
     * verifies with the key the authority registered for the caller and names the caller; 201 with
     * {@code flag} OK, or DISAGREES when the root it states is not the log's at its size (kept too:
     * that is what the authority must see). Anything else is refused and nothing is kept.
     */
    public void receipt(RoutingContext ctx) {
        String recipient = ((Caller.Recipient) Caller.of(ctx)).id(); // the route takes recipients only
        JsonObject body = Bodies.object(ctx, Set.of("receipt", "signature"));
        byte[] bytes = base64(body, "receipt");
        byte[] signature = base64(body, "signature");
        if (bytes.length > RecipientReceipts.MAX_RECEIPT_BYTES || signature.length > RecipientReceipts.MAX_SIGNATURE_BYTES) {
            throw new ProblemException(ProblemType.RECEIPT_INVALID, "a receipt is at most " + RecipientReceipts.MAX_RECEIPT_BYTES
                    + " bytes and its signature " + RecipientReceipts.MAX_SIGNATURE_BYTES);
        }
        Blocking.answer(ctx, () -> {
            String key = receipts.key(recipient).orElseThrow(() -> new ProblemException(ProblemType.RECEIPT_KEY_UNREGISTERED,
                    "no key is registered for recipient " + recipient + "'s receipts: the authority registers its ID.pub "
                            + "(POST /api/v1/operators/" + recipient + "/key)"));
            Receipt receipt;
            try {
                receipt = Receipt.verified(bytes, signature, ReceiptKey.publicKey(key));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.RECEIPT_INVALID, e.getMessage());
            }
            if (!receipt.node().equals(recipient)) {
                throw new ProblemException(ProblemType.RECEIPT_INVALID, "the receipt is " + receipt.node() + "'s, the token "
                        + recipient + "'s");
            }
            boolean agrees;
            try {
                agrees = HexFormat.of().formatHex(heads.root(receipt.treeSize())).equals(receipt.rootHash());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.RECEIPT_INVALID, "the receipt states serial " + receipt.treeSize()
                        + ", beyond the log");
            }
            if (!receipts.record(recipient, key, bytes, signature, agrees, clock.instant())) {
                throw new ProblemException(ProblemType.RECEIPT_INVALID, "the key was replaced while the receipt was checked");
            }
            return agrees;
        }, agrees -> Bodies.json(ctx, 201, new JsonObject().put("recipient", recipient)
                .put("flag", agrees ? "OK" : "DISAGREES")));
    }

    /** A receipt as the API shows it, a node's or a recipient's. */
    public static JsonObject view(Receipt receipt) {
        return new JsonObject().put("treeSize", receipt.treeSize()).put("rootHash", receipt.rootHash())
                .put("setHash", receipt.setHash()).put("state", receipt.state()).put("time", receipt.time().toString());
    }

    private static byte[] base64(JsonObject body, String field) {
        try {
            return Base64.getDecoder().decode(Bodies.text(body, field));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, field + " is not base64");
        }
    }

    /** {@code GET …/log/sth}: the latest tree head, signed (attached CMS, DER: {@code openssl cms -verify} reads it). */
    public void treeHead(RoutingContext ctx) {
        Blocking.answer(ctx, heads::latest, signed -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/pkcs7-mime")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(Buffer.buffer(signed.cms())));
    }

    /** {@code GET …/log/consistency?first=M&second=N}: the proof that the log at N extends the log at M. */
    public void consistency(RoutingContext ctx) {
        long first = number(ctx, "first");
        long second = number(ctx, "second");
        Blocking.answer(ctx, () -> inRange(() -> heads.consistency(first, second)), proof -> Bodies.json(ctx, 200, new JsonObject().put("first", first).put("second", second)
                .put("proof", hex(proof))));
    }

    /** {@code GET …/log/inclusion?serial=S&size=N}: the leaf of serial S and the proof it is in the log at N. */
    public void inclusion(RoutingContext ctx) {
        long serial = number(ctx, "serial");
        long size = number(ctx, "size");
        Blocking.answer(ctx, () -> inRange(() -> heads.inclusion(serial, size)), inclusion -> Bodies.json(ctx, 200, new JsonObject().put("serial", serial).put("treeSize", size)
                .put("leafHash", HexFormat.of().formatHex(inclusion.leafHash())).put("proof", hex(inclusion.proof()))));
    }

    /** {@code GET /api/v1/log/leaves?from=A&to=B}: the leaves of serials A to B, at most {@link LogLeaf#PAGE}. */
    public void leaves(RoutingContext ctx) {
        long from = number(ctx, "from");
        long to = number(ctx, "to");
        if (from < 1 || from > to || to - from >= LogLeaf.PAGE) {
            throw outOfRange("1 ≤ from ≤ to, at most " + LogLeaf.PAGE + " leaves");
        }
        Blocking.answer(ctx, () -> BlocklistLog.leaves(dataSource, from, to), leaves -> {
            JsonArray items = new JsonArray();
            for (LogLeaf leaf : leaves) {
                items.add(new JsonObject().put("serial", leaf.serial()).put("operation", leaf.operation().name())
                        .put("key", leaf.key()).put("directive", leaf.directive())
                        .put("documentSha256", leaf.documentSha256())
                        .put("leafHash", HexFormat.of().formatHex(leaf.hash())));
            }
            Bodies.json(ctx, 200, new JsonObject().put("leaves", items));
        });
    }

    private static JsonArray hex(List<byte[]> hashes) {
        JsonArray items = new JsonArray();
        hashes.forEach(hash -> items.add(HexFormat.of().formatHex(hash)));
        return items;
    }

    private static long number(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        try {
            return Long.parseLong(text == null ? "" : text);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "?" + name + "= is a whole number");
        }
    }

    /** The answer of {@code work}, or 400 naming the range it refused. */
    private static <T> T inRange(Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (IllegalArgumentException e) {
            throw outOfRange(e.getMessage());
        }
    }

    private static ProblemException outOfRange(String rule) {
        return new ProblemException(ProblemType.BAD_REQUEST, "out of range: " + rule);
    }
}
