package kz.qaqpa.gateway.blocklist;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;
import kz.qaqpa.gateway.log.LogHandlers;

/**
 * {@code GET /api/v1/nodes}: each filtering node, what its signed receipt states and what the
 * gateway makes of it, beside what its report claims; {@code POST /api/v1/nodes/{id}/key}: the
 * authority registers the public key a node signs its receipts with.
 */
public final class NodeHandlers {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Nodes nodes;

    public NodeHandlers(Nodes nodes) {
        this.nodes = nodes;
    }

    public void list(RoutingContext ctx) {
        Blocking.answer(ctx, () -> {
            long published = nodes.publishedSerial();
            JsonArray list = new JsonArray();
            for (Nodes.View view : nodes.all()) {
                NodeStatus node = view.status();
                list.add(new JsonObject()
                        .put("id", node.id())
                        .put("address", node.address())
                        .put("flag", view.flag().name())
                        .put("receipt", view.receipt().map(LogHandlers::view).orElse(null))
                        .put("lag", lag(view, published))
                        .put("appliedSerial", node.appliedSerial())
                        .put("consistent", node.consistent())
                        .put("state", node.state().name())
                        .put("detail", node.detail())
                        .put("lastSeen", Instant.ofEpochMilli(node.reportedAt()).toString()));
            }
            return new JsonObject().put("publishedSerial", published).put("nodes", list);
        }, result -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(result.encode());
        });
    }

    public void registerKey(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!NODE_ID.matcher(id).matches()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "a node id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String pem = Bodies.publicKeyPem(ctx, "the node's");
        Blocking.answer(ctx, () -> {
            try {
                nodes.register(id, pem);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.BAD_REQUEST, e.getMessage());
            }
            return id;
        }, registered -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("id", registered).put("registered", true).encode()));
    }

    /** How far the node's verified receipt is behind, for the answer; null without one. */
    private static Long lag(Nodes.View view, long published) {
        java.util.OptionalLong behind = view.behind(published);
        return behind.isPresent() ? behind.getAsLong() : null;
    }
}
