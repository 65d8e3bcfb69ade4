package kz.qaqpa.gateway.fanout;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.gateway.http.AdminAuth;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ClientCertificates;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * Lets through requests with {@code Authorization: Bearer TOKEN} where the token is the admin token
 * (the authorised body) or an active recipient's token, and records which as the {@link Caller};
 * answers others 401. When mutual TLS is required, the caller's client certificate must be its own
 * ({@link ClientCertificates}). A recipient's token is looked up by its SHA-256, on a worker thread.
 */
public final class Callers implements Handler<RoutingContext> {

    private final AdminAuth admin;
    private final RecipientStore recipients;
    private final ClientCertificates certificates;

    public Callers(AdminAuth admin, RecipientStore recipients, ClientCertificates certificates) {
        this.admin = admin;
        this.recipients = recipients;
        this.certificates = certificates;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> bearer = AdminAuth.bearerToken(header);
        if (bearer.isEmpty()) {
            refuse(ctx, "send your token as 'Authorization: Bearer TOKEN'");
            return;
        }
        if (admin.hasToken(header)) {
            admin.requireAuthorityCertificate(ctx);
            ctx.put(Caller.KEY, Caller.authority());
            ctx.next();
            return;
        }
        String token = bearer.get();
        Blocking.answer(ctx, () -> recipients.byToken(token), result -> {
            if (result.isEmpty()) {
                refuse(ctx, "the token is not valid");
            } else {
                Recipient recipient = result.get();
                try {
                    certificates.requireOperator(ctx, recipient.id());
                } catch (ProblemException refused) {
                    ctx.fail(refused);
                    return;
                }
                ctx.put(Caller.KEY, Caller.recipient(recipient.id()));
                ctx.next();
            }
        });
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qaqpa\"");
        ctx.fail(new ProblemException(ProblemType.UNAUTHORIZED, detail));
    }
}
