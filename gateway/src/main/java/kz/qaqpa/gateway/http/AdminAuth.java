package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets through requests that carry the authorised body's management token as
 * {@code Authorization: Bearer TOKEN}; answers others 401. The comparison takes the same time
 * whatever the token, so the token cannot be guessed a character at a time.
 */
public final class AdminAuth implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;

    public AdminAuth(Optional<String> token) {
        this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8));
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
        if (!accepts(header)) {
            refuse(ctx, "the admin token is not valid");
            return;
        }
        ctx.next();
    }

    /** Whether an {@code Authorization} header carries the admin token (compared in constant time). */
    public boolean accepts(String header) {
        if (token.isEmpty() || header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8), token.get());
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qaqpa\"");
        ctx.fail(new ProblemException(ProblemType.UNAUTHORIZED, detail));
    }
}
