package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * Refuses a state-changing request that a browser sent from a page of another site (cross-site
 * request forgery): one whose {@code Origin} is another site than the request's own host, or —
 * where the browser sends no usable {@code Origin} — whose {@code Sec-Fetch-Site} says
 * {@code cross-site}. Our pages send no referrer ({@code Referrer-Policy: no-referrer}), and for
 * such a page a browser posts {@code Origin: null} even to its own site, so {@code null} is judged
 * by {@code Sec-Fetch-Site}, and refused without it. Programs that send neither header are let
 * through: they could forge anything anyway, and the appeal API is meant for them. Answered 403
 * {@code cross-site-request} before the body is read.
 */
public final class SameOrigin implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        String fetchSite = ctx.request().getHeader("Sec-Fetch-Site");
        boolean crossSite;
        if (origin == null) {
            crossSite = "cross-site".equals(fetchSite);
        } else if (origin.equals("null")) {
            crossSite = fetchSite == null || !fetchSite.equals("same-origin");
        } else {
            crossSite = !sameSite(origin, ctx.request().authority(), ctx.request().isSSL());
        }
        if (crossSite) {
            ctx.fail(new ProblemException(ProblemType.CROSS_SITE_REQUEST,
                    "this form may be sent only from the gateway's own pages"));
            return;
        }
        ctx.next();
    }

    private static boolean sameSite(String origin, HostAndPort authority, boolean tls) {
        if (authority == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int originPort = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            int port = authority.port() >= 0 ? authority.port() : tls ? 443 : 80;
            return uri.getHost().equalsIgnoreCase(authority.host()) && originPort == port;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
