package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection whose client is slow to send a request line and headers: on a new connection,
 * and again on a kept-alive one once its last response has ended. A slow-loris client, dribbling a
 * header byte now and then (which the idle timeout does not stop: each byte is activity), holds a
 * socket for the timeout and no more. The clock does not run while a request is being handled, so
 * a long request or response is never cut. No thread is held, and the codec's limits bound what a
 * client may buffer (4 KiB request line, 8 KiB of headers). Every call comes on the API verticle's
 * one event loop (the server, its timers and its router belong to that verticle), so the state of
 * each connection needs no locking.
 */
public final class RequestHeadDeadline {

    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Waiting> connections = new HashMap<>();

    /** A connection's requests being handled, and the timer of the head it waits for (or -1). */
    private static final class Waiting {
        int handling;
        long timer = -1;
    }

    public RequestHeadDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.millis = Math.max(1, timeout.toMillis());
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    public void connected(HttpConnection connection) {
        Waiting waiting = new Waiting();
        connections.put(connection, waiting);
        connection.closeHandler(closed -> {
            Waiting gone = connections.remove(connection);
            if (gone != null && gone.timer >= 0) {
                vertx.cancelTimer(gone.timer);
            }
        });
        awaitHead(connection, waiting);
    }

    /** Wraps the request handler: a request whose head has arrived stops its connection's clock. */
    public Handler<HttpServerRequest> stoppingOn(Handler<HttpServerRequest> requests) {
        return request -> {
            Waiting waiting = connections.get(request.connection());
            if (waiting != null) {
                waiting.handling++;
                if (waiting.timer >= 0) {
                    vertx.cancelTimer(waiting.timer);
                    waiting.timer = -1;
                }
            }
            requests.handle(request);
        };
    }

    /** The router's first handler: when a request's response has ended, the clock starts for the next head. */
    public Handler<RoutingContext> restartingWhenAnswered() {
        return ctx -> {
            HttpConnection connection = ctx.request().connection();
            ctx.addEndHandler(ended -> {
                Waiting waiting = connections.get(connection);
                if (waiting != null && --waiting.handling == 0) {
                    awaitHead(connection, waiting);
                }
            });
            ctx.next();
        };
    }

    private void awaitHead(HttpConnection connection, Waiting waiting) {
        waiting.timer = vertx.setTimer(millis, fired -> {
            if (connections.get(connection) == waiting && waiting.handling == 0) {
                connection.close();
            }
        });
    }
}
