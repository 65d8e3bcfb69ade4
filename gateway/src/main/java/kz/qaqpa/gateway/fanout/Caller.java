package kz.qaqpa.gateway.fanout;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who is calling, as {@link Callers} established: the authorised body (the admin token) or a
 * recipient (its own token).
 */
public record Caller(Optional<String> recipientId) {

    static final String KEY = "qaqpa.caller";

    static Caller authority() {
        return new Caller(Optional.empty());
    }

    static Caller recipient(String id) {
        return new Caller(Optional.of(id));
    }

    public boolean isAuthority() {
        return recipientId.isEmpty();
    }

    static Caller of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
