package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a new connection whose client has not sent a whole request line and headers in time: a
 * slow-loris client, dribbling a header byte now and then, holds a socket for that long and no more.
 * The event loop never waits on it (no thread is held), and the codec's limits bound what it may
 * buffer (4 KiB request line, 8 KiB of headers). Later requests on a kept-alive connection are
 * bounded by the server's idle timeout.
 */
final class RequestHeadDeadline {

    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Long> pending = new ConcurrentHashMap<>();

    RequestHeadDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.millis = Math.max(1, timeout.toMillis());
    }

    /** For {@code HttpServer.connectionHandler}: starts the clock of a new connection. */
    void connected(HttpConnection connection) {
        long timer = vertx.setTimer(millis, fired -> {
            if (pending.remove(connection) != null) {
                connection.close();
            }
        });
        pending.put(connection, timer);
        connection.closeHandler(closed -> cancel(connection));
    }

    /** Wraps the request handler: a request whose head has arrived stops its connection's clock. */
    Handler<HttpServerRequest> stoppingOn(Handler<HttpServerRequest> requests) {
        return request -> {
            cancel(request.connection());
            requests.handle(request);
        };
    }

    private void cancel(HttpConnection connection) {
        Long timer = pending.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
