package kz.qaqpa.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * How a handler does blocking work — the database, the disk, a signature — without stopping the
 * event loop: on a worker thread, unordered (requests do not wait for each other's workers), then
 * answers on the event loop. A failure of the work or of the answer goes to {@link Problems} as
 * every other failure does, so no handler repeats the {@code if (failed) ctx.fail(…)} step.
 */
public final class Blocking {

    private Blocking() {
    }

    /** Runs {@code work} on a worker and gives its result to {@code answer} on the request's event loop. */
    public static <T> void answer(RoutingContext ctx, Callable<T> work, Consumer<T> answer) {
        ctx.vertx().executeBlocking(work, false).onComplete(outcome -> {
            if (outcome.failed()) {
                ctx.fail(outcome.cause());
                return;
            }
            try {
                answer.accept(outcome.result());
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }
}
