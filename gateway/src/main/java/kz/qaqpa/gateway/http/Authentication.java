package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one place a request's credentials are read. A route's guard, {@link #admitting}, names the
 * kinds of {@link Caller} the route takes; the guard identifies the caller from what it presents,
 * records it for the handler and lets it on, or answers 401 (no or an unknown credential), 403 (a
 * known caller the route does not take, or the wrong client certificate) or 495 (a client
 * certificate required and missing).
 *
 * <p>What identifies whom: the admin token as {@code Authorization: Bearer TOKEN} is the authority
 * (compared in constant time, so that it cannot be guessed a character at a time); another bearer
 * token is a recipient's when the route takes recipients (looked up by its SHA-256 on a worker
 * thread) or an appeal's status token when the route takes appellants, who may also send it as
 * {@code ?token=} (the link given at registration). When mutual TLS is required for a role, the
 * connection's client certificate must be that caller's own ({@link ClientCertificates}).
 */
public final class Authentication {

    /** Key under which the admitted {@link Caller} is kept in the routing context. */
    static final String CALLER_KEY = "qaqpa.caller";

    private static final String BEARER = "Bearer ";

    /** Finds the recipient whose token this is; blocking (it reads the database). */
    @FunctionalInterface
    public interface RecipientTokens {
        Optional<String> recipientOf(String token) throws Exception;
    }

    private final Optional<byte[]> adminToken;
    private final ClientCertificates certificates;
    private final RecipientTokens recipients;

    public Authentication(Optional<String> adminToken, ClientCertificates certificates, RecipientTokens recipients) {
        this.adminToken = adminToken.map(value -> value.getBytes(StandardCharsets.UTF_8));
        this.certificates = certificates;
        this.recipients = recipients;
    }

    /** A guard that lets on the given kinds of caller only, and records which one called. */
    @SafeVarargs
    public final Handler<RoutingContext> admitting(Class<? extends Caller>... kinds) {
        Set<Class<? extends Caller>> admitted = Set.of(kinds);
        return ctx -> identify(ctx, admitted, caller -> {
            if (!admitted.contains(caller.getClass())) {
                ctx.fail(new ProblemException(ProblemType.FORBIDDEN, "this call is for " + describe(admitted)));
                return;
            }
            ctx.put(CALLER_KEY, caller);
            ctx.next();
        });
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
     * Whether the request is the authority's (its token, and its certificate when one is required),
     * without refusing anything: limits on open routes do not count the authority.
     */
    public boolean isAuthority(RoutingContext ctx) {
        return bearerToken(ctx).filter(this::isAdminToken).isPresent() && certificates.isAuthority(ctx);
    }

    private void identify(RoutingContext ctx, Set<Class<? extends Caller>> admitted, Consumer<Caller> then) {
        Optional<String> bearer = bearerToken(ctx);
        if (bearer.filter(this::isAdminToken).isPresent()) {
            certificates.requireAuthority(ctx);
            then.accept(new Caller.Authority());
            return;
        }
        if (admitted.contains(Caller.Appellant.class)) {
            Optional<String> status = Optional.ofNullable(ctx.queryParams().get("token"))
                    .filter(token -> !token.isBlank()).or(() -> bearer);
            if (status.isPresent()) {
                then.accept(new Caller.Appellant(status.get()));
                return;
            }
        }
        if (bearer.isPresent() && admitted.contains(Caller.Recipient.class)) {
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
        if (admitted.equals(Set.of(Caller.Authority.class)) && adminToken.isEmpty()) {
            refuse(ctx, "management calls are disabled: no admin token is configured (--admin-token)");
        } else if (bearer.isPresent()) {
            refuse(ctx, "the token is not valid for this call, which is for " + describe(admitted));
        } else {
            refuse(ctx, "this call is for " + describe(admitted) + ": send the token as 'Authorization: Bearer TOKEN'");
        }
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

    /** The admitted kinds of caller, in words, for a refusal's detail. */
    private static String describe(Set<Class<? extends Caller>> admitted) {
        return List.of(Caller.Authority.class, Caller.Recipient.class, Caller.Appellant.class)
                .stream().filter(admitted::contains).map(Authentication::name).collect(Collectors.joining(" or "));
    }

    private static String name(Class<? extends Caller> kind) {
        if (kind == Caller.Authority.class) {
            return "the authorised body (the admin token)";
        }
        if (kind == Caller.Recipient.class) {
            return "a recipient (its own token)";
        }
        return "the appellant (the appeal's status token)";
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qaqpa\"");
        ctx.fail(new ProblemException(ProblemType.UNAUTHORIZED, detail));
    }
}
