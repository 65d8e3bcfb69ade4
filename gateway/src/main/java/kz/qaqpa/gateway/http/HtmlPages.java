package kz.qaqpa.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * How every HTML page the gateway renders is answered: with its page's content security policy (its
 * own style and script by their hashes, forms posting only here, no framing), no referrer sent on,
 * and never kept in a cache — the appeal pages and the console alike.
 */
public final class HtmlPages {

    private HtmlPages() {
    }

    public static void answer(RoutingContext ctx, int status, String html, String contentSecurityPolicy) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(html);
    }
}
