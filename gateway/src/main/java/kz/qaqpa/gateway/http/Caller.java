package kz.qaqpa.gateway.http;

import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.audit.Actor;

/**
 * Who is calling, as {@link Authentication} established it for a guarded route. A handler behind
 * a guard reads it with {@link #of(RoutingContext)} and decides by its kind; it never looks at
 * headers or tokens itself. Routes open to everyone have no guard and no caller.
 */
public sealed interface Caller {

    /**
     * An official of the authorised body with roles: by its own token, its client certificate, or a
     * console session; or {@link #automation()}, the shared admin token, which has every role. When
     * mutual TLS is required for the authority, the connection carries a certificate of its CA too.
     */
    record Official(String name, Set<OfficialRole> roles) implements Caller {
        public Official {
            Objects.requireNonNull(name, "name");
            roles = Set.copyOf(roles);
        }

        /** The shared admin token: automation with every role, named so in the audit log. */
        public static Official automation() {
            return new Official(Actor.AUTOMATION, EnumSet.allOf(OfficialRole.class));
        }

        public boolean has(OfficialRole role) {
            return roles.contains(role);
        }
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

    /**
     * Who did it and from where, for the audit log: an official by name, a recipient as
     * {@code recipient:ID}, an appellant as {@code appellant}.
     */
    static Actor actor(RoutingContext ctx) {
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        Caller caller = of(ctx);
        String name = caller instanceof Official official ? official.name()
                : caller instanceof Recipient recipient ? "recipient:" + recipient.id() : "appellant";
        return new Actor(name, address);
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
