package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import kz.qaqpa.directives.access.Official;
import kz.qaqpa.directives.access.OfficialRole;

/**
 * The one place a request's credentials are read. A route's guard, {@link #admitting}, names who the
 * route takes ({@link Admits}: officials with some roles, and other kinds of {@link Caller}); the
 * guard identifies the caller from what it presents, records it for the handler and lets it on, or
 * answers 401 (no or an unknown credential), 403 (a known caller the route does not take, an
 * official without the role, or the wrong client certificate) or 495 (a client certificate required
 * and missing).
 *
 * <p>What identifies whom: the admin token as {@code Authorization: Bearer TOKEN} is automation with
 * every role (compared in constant time, so that it cannot be guessed a character at a time); an
 * official's own token ({@code qo_…}) is that official; with no token, a client certificate of the
 * authority's CA whose subject CN names an official is that official (officials are looked up by
 * the token's SHA-256 or the name on a worker thread). Another bearer token is a recipient's when
 * the route takes recipients, or an appeal's status token when the route takes appellants, who may
 * also send it as {@code ?token=} (the link given at registration). When mutual TLS is required for
 * a role, the connection's client certificate must be that caller's own ({@link ClientCertificates}).
 * Console pages are guarded by their sessions ({@code kz.qaqpa.gateway.console}), which
 * {@link #admit} the official the same way; a session cookie opens no API route.
 */
public final class Authentication {

    /** Key under which the admitted {@link Caller} is kept in the routing context. */
    static final String CALLER_KEY = "qaqpa.caller";

    private static final String BEARER = "Bearer ";

    /** Who a route takes: officials holding any of {@code roles}, and the kinds of caller in {@code others}. */
    public record Admits(Set<OfficialRole> roles, Set<Class<? extends Caller>> others) {

        public Admits {
            roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
            others = Set.copyOf(others);
        }

        /** Officials with any of these roles (the admin token has them all). */
        public static Admits officials(OfficialRole... roles) {
            return new Admits(Set.of(roles), Set.of());
        }

        /** These kinds of caller only, no official. */
        @SafeVarargs
        public static Admits only(Class<? extends Caller>... kinds) {
            return new Admits(Set.of(), Set.of(kinds));
        }

        /** These, and the kinds of caller given. */
        @SafeVarargs
        public final Admits and(Class<? extends Caller>... kinds) {
            Set<Class<? extends Caller>> all = new HashSet<>(others);
            all.addAll(List.of(kinds));
            return new Admits(roles, all);
        }

        boolean takes(Caller caller) {
            return caller instanceof Caller.Official official
                    ? official.roles().stream().anyMatch(roles::contains) : others.contains(caller.getClass());
        }

        boolean takesOfficials() {
            return !roles.isEmpty();
        }
    }

    /** Finds the recipient whose token this is; blocking (it reads the database). */
    @FunctionalInterface
    public interface RecipientTokens {
        Optional<String> recipientOf(String token) throws Exception;
    }

    /** Finds an enabled official by its token or its name; blocking (it reads the database). */
    public interface OfficialAccounts {
        Optional<Official> byToken(String token) throws Exception;

        Optional<Official> byName(String name) throws Exception;

        /** Whether this token is of an official's form (so that it is not taken for another kind). */
        boolean isOfficialToken(String token);

        OfficialAccounts NONE = new OfficialAccounts() {
            @Override
            public Optional<Official> byToken(String token) {
                return Optional.empty();
            }

            @Override
            public Optional<Official> byName(String name) {
                return Optional.empty();
            }

            @Override
            public boolean isOfficialToken(String token) {
                return false;
            }
        };
    }

    private final Optional<byte[]> adminToken;
    private final ClientCertificates certificates;
    private final RecipientTokens recipients;
    private final OfficialAccounts officials;

    public Authentication(Optional<String> adminToken, ClientCertificates certificates, RecipientTokens recipients,
                          OfficialAccounts officials) {
        this.adminToken = adminToken.map(value -> value.getBytes(StandardCharsets.UTF_8));
        this.certificates = certificates;
        this.recipients = recipients;
        this.officials = officials;
    }

    /** A guard that lets on whom {@code admits} names only, and records who called. */
    public Handler<RoutingContext> admitting(Admits admits) {
        return ctx -> identify(ctx, admits, caller -> {
            if (!admits.takes(caller)) {
                ctx.fail(new ProblemException(ProblemType.FORBIDDEN, "this call is for " + describe(admits)));
                return;
            }
            admit(ctx, caller);
            ctx.next();
        });
    }

    /** Records the caller a guard let on, for the handler ({@link Caller#of}). */
    public static void admit(RoutingContext ctx, Caller caller) {
        ctx.put(CALLER_KEY, caller);
    }

    /**
     * A guard for calls authenticated by what they carry (a signed directive): only the connection
     * is checked, which must be the authority's when mutual TLS is required for it.
     */
    public Handler<RoutingContext> authorityConnection() {
        return ctx -> {
            certificates.requireAuthority(ctx);
            ctx.next();
        };
    }

    /**
     * Whether the request is the admin token's (and its certificate's when one is required), without
     * refusing anything: limits on open routes do not count automation.
     */
    public boolean isAuthority(RoutingContext ctx) {
        return bearerToken(ctx).filter(this::isAdminToken).isPresent() && certificates.isAuthority(ctx);
    }

    private void identify(RoutingContext ctx, Admits admits, Consumer<Caller> then) {
        Optional<String> bearer = bearerToken(ctx);
        if (bearer.filter(this::isAdminToken).isPresent()) {
            certificates.requireAuthority(ctx);
            then.accept(Caller.Official.automation());
            return;
        }
        if (bearer.filter(officials::isOfficialToken).isPresent()) {
            String token = bearer.get();
            Blocking.answer(ctx, () -> officials.byToken(token), official -> {
                if (official.isEmpty()) {
                    refuse(ctx, "the token is not valid (an official's token replaced, or its account disabled)");
                    return;
                }
                try {
                    certificates.requireAuthority(ctx);
                } catch (ProblemException refused) {
                    ctx.fail(refused);
                    return;
                }
                then.accept(caller(official.get()));
            });
            return;
        }
        Optional<String> certified = bearer.isEmpty() && admits.takesOfficials()
                ? certificates.authoritySubject(ctx) : Optional.empty();
        if (certified.isPresent()) {
            Blocking.answer(ctx, () -> officials.byName(certified.get()), official -> {
                if (official.isEmpty()) {
                    refuse(ctx, "the client certificate names no enabled official ('" + certified.get() + "')");
                    return;
                }
                then.accept(caller(official.get()));
            });
            return;
        }
        if (admits.others().contains(Caller.Appellant.class)) {
            Optional<String> status = Optional.ofNullable(ctx.queryParams().get("token"))
                    .filter(token -> !token.isBlank()).or(() -> bearer);
            if (status.isPresent()) {
                then.accept(new Caller.Appellant(status.get()));
                return;
            }
        }
        if (bearer.isPresent() && admits.others().contains(Caller.Recipient.class)) {
            String token = bearer.get();
            Blocking.answer(ctx, () -> recipients.recipientOf(token), recipient -> {
                if (recipient.isEmpty()) {
                    refuse(ctx, "the token is not valid");
                    return;
                }
                try {
                    certificates.requireOperator(ctx, recipient.get());
                } catch (ProblemException refused) {
                    ctx.fail(refused);
                    return;
                }
                then.accept(new Caller.Recipient(recipient.get()));
            });
            return;
        }
        if (bearer.isPresent()) {
            refuse(ctx, "the token is not valid for this call, which is for " + describe(admits));
        } else {
            refuse(ctx, "this call is for " + describe(admits) + ": send the token as 'Authorization: Bearer TOKEN'");
        }
    }

    private static Caller.Official caller(Official official) {
        return new Caller.Official(official.name(), official.roles());
    }

    private boolean isAdminToken(String given) {
        return adminToken.isPresent() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken.get());
    }

    private static Optional<String> bearerToken(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip()).filter(token -> !token.isEmpty());
    }

    /** Who the route takes, in words, for a refusal's detail. */
    private static String describe(Admits admits) {
        List<String> who = new ArrayList<>();
        if (admits.takesOfficials()) {
            who.add("officials with the role " + admits.roles().stream().sorted().map(Enum::name)
                    .collect(Collectors.joining(" or ")) + " (their own token or certificate, or the admin token)");
        }
        if (admits.others().contains(Caller.Recipient.class)) {
            who.add("a recipient (its own token)");
        }
        if (admits.others().contains(Caller.Appellant.class)) {
            who.add("the appellant (the appeal's status token)");
        }
        return String.join(" or ", who);
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qaqpa\"");
        ctx.fail(new ProblemException(ProblemType.UNAUTHORIZED, detail));
    }
}
