package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets through requests of the authorised body: the management token as
 * {@code Authorization: Bearer TOKEN} and, when mutual TLS is required for the authority, its client
 * certificate; answers others 401 (or 403 for another's certificate). The token comparison takes the
 * same time whatever the token, so the token cannot be guessed a character at a time.
 */
public final class AdminAuth implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;
    private final ClientCertificates certificates;

    public AdminAuth(Optional<String> token, ClientCertificates certificates) {
        this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8));
        this.certificates = certificates;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (token.isEmpty()) {
            refuse(ctx, "management calls are disabled: no admin token is configured (--admin-token)");
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(ctx, "send the admin token as 'Authorization: Bearer TOKEN'");
            return;
        }
        if (!hasToken(header)) {
            refuse(ctx, "the admin token is not valid");
            return;
        }
        certificates.requireAuthority(ctx);
        ctx.next();
    }

    /** Whether the request is the authority's: the admin token, and its certificate when one is required. */
    public boolean accepts(RoutingContext ctx) {
        return hasToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) && certificates.isAuthority(ctx);
    }

    /** Refuses the request unless its connection may act as the authority (for signed submissions). */
    public void requireAuthorityCertificate(RoutingContext ctx) {
        certificates.requireAuthority(ctx);
    }

    /** The token of an {@code Authorization: Bearer TOKEN} header, if it is one. */
    public static Optional<String> bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip()).filter(token -> !token.isEmpty());
    }

    /** Whether an {@code Authorization} header carries the admin token (compared in constant time). */
    public boolean hasToken(String header) {
        return token.isPresent() && bearerToken(header)
                .map(given -> MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get())).orElse(false);
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qaqpa\"");
        ctx.fail(new ProblemException(ProblemType.UNAUTHORIZED, detail));
    }
}
