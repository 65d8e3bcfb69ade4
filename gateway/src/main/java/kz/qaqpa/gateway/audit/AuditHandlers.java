package kz.qaqpa.gateway.audit;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import javax.sql.DataSource;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.gateway.http.Blocking;

/**
 * {@code GET /api/v1/audit/verification}: the audit chain checked by the running gateway. The
 * embedded database is open to this process alone, so {@code qaqpa audit verify --url} asks here
 * while the gateway runs.
 */
public final class AuditHandlers {

    private final DataSource database;

    public AuditHandlers(DataSource database) {
        this.database = database;
    }

    public void verify(RoutingContext ctx) {
        Blocking.answer(ctx, () -> AuditLog.verify(database), result -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json(result).encode());
        });
    }

    /** The answer's shape, which {@code qaqpa audit verify --url} reads back. */
    public static JsonObject json(AuditVerification result) {
        JsonObject json = new JsonObject().put("intact", result.intact()).put("records", result.records())
                .put("reason", result.reason());
        result.firstBroken().ifPresent(record -> json.put("firstBroken", record));
        return json;
    }
}
