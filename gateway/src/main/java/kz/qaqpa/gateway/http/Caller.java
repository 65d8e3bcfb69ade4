package kz.qaqpa.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Who is calling, as {@link Authentication} established it for a guarded route. A handler behind
 * a guard reads it with {@link #of(RoutingContext)} and decides by its kind; it never looks at
 * headers or tokens itself. Routes open to everyone have no guard and no caller.
 */
public sealed interface Caller {

    /** The authorised body: the admin token, and its client certificate when mutual TLS is required for it. */
    record Authority() implements Caller {
    }

    /** A recipient of directives (an operator, the State Technical Service): its own token and certificate. */
    record Recipient(String id) implements Caller {
        public Recipient {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Someone holding an appeal's status token. The token opens one appeal only, so whether it opens
     * the one asked for is the appeal register's to say, not this record's.
     */
    record Appellant(String statusToken) implements Caller {
        public Appellant {
            Objects.requireNonNull(statusToken, "statusToken");
        }

        @Override
        public String toString() {
            return "Appellant[statusToken=…]";
        }
    }

    /** The caller the route's guard admitted; a route without a guard has none, and asking is a bug. */
    static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(Authentication.CALLER_KEY);
        if (caller == null) {
            throw new IllegalStateException("route " + ctx.normalizedPath() + " has no Authentication guard");
        }
        return caller;
    }
}
