package kz.qaqpa.gateway.blocklist;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.gateway.http.Blocking;

/** {@code GET /api/v1/nodes}: each filtering node, the serial it enforces, and how far behind it is. */
public final class NodeHandlers {

    private final Nodes nodes;

    public NodeHandlers(Nodes nodes) {
        this.nodes = nodes;
    }

    public void list(RoutingContext ctx) {
        Blocking.answer(ctx, () -> {
            long published = nodes.publishedSerial();
            JsonArray list = new JsonArray();
            for (NodeStatus node : nodes.all()) {
                list.add(new JsonObject()
                        .put("id", node.id())
                        .put("address", node.address())
                        .put("appliedSerial", node.appliedSerial())
                        .put("lag", Math.max(0, published - node.appliedSerial()))
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
}
