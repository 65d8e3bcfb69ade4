package kz.qaqpa.gateway.audit;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;
import kz.qaqpa.pull.FeedFormat;

/**
 * The auditor's calls. {@code GET /api/v1/audit/verification}: the audit chain checked by the running
 * gateway (the embedded database is open to this process alone, so {@code qaqpa audit verify --url}
 * asks here while the gateway runs). {@code GET /api/v1/audit/records}: the records themselves.
 */
public final class AuditHandlers {

    /** The most records one answer holds; the next page starts {@code after} the last one's seq. */
    public static final int MAX_RECORDS = 1_000;

    private final DataSource database;

    public AuditHandlers(DataSource database) {
        this.database = database;
    }

    public void verify(RoutingContext ctx) {
        Blocking.answer(ctx, () -> AuditLog.verify(database), result -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json(result).encode());
        });
    }

    /**
     * {@code GET /api/v1/audit/records?by=&event=&from=&before=&after=&limit=&format=json|csv}: the
     * access log — the records of the hash-chained audit log, oldest first, filtered by who
     * ({@code by}, an official's name), what ({@code event}), when ({@code from}, {@code before},
     * ISO-8601 instants) and from which sequence number on ({@code after}, for the next page); at most
     * {@code limit} (default and most {@value #MAX_RECORDS}). As JSON, or as CSV to export.
     */
    public void records(RoutingContext ctx) {
        AuditLog.Filter filter = filter(ctx);
        int limit = number(ctx, "limit").map(Math::toIntExact).filter(n -> n > 0 && n <= MAX_RECORDS).orElse(MAX_RECORDS);
        boolean csv = "csv".equals(ctx.queryParams().get("format"));
        Blocking.answer(ctx, () -> AuditLog.search(database, filter, limit), found -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            if (csv) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"qaqpa-audit.csv\"").end(csv(found));
            } else {
                JsonArray records = new JsonArray();
                found.forEach(record -> records.add(json(record)));
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject()
                        .put("records", records).encode());
            }
        });
    }

    /** The filter a request's query asks for; a malformed value is 400. */
    public static AuditLog.Filter filter(RoutingContext ctx) {
        return new AuditLog.Filter(text(ctx, "by"), text(ctx, "event"), instant(ctx, "from"), instant(ctx, "before"),
                number(ctx, "after").orElse(0L));
    }

    /** One record as JSON. */
    public static JsonObject json(AuditLog.Stored record) {
        JsonObject json = new JsonObject().put("seq", record.seq()).put("recordedAt", record.recordedAt().toString())
                .put("event", record.event()).put("by", record.by()).put("details", record.details());
        record.directiveId().ifPresent(id -> json.put("directiveId", id));
        return json;
    }

    /** Records as CSV (RFC 4180, formula-looking cells kept as text). */
    public static String csv(List<AuditLog.Stored> records) {
        StringBuilder out = new StringBuilder("seq,recordedAt,event,by,directiveId,details\r\n");
        for (AuditLog.Stored record : records) {
            out.append(record.seq()).append(',').append(record.recordedAt()).append(',')
                    .append(FeedFormat.csvCell(record.event())).append(',')
                    .append(FeedFormat.csvCell(Objects.toString(record.by(), ""))).append(',')
                    .append(record.directiveId().map(String::valueOf).orElse("")).append(',')
                    .append(FeedFormat.csvCell(Objects.toString(record.details(), ""))).append("\r\n");
        }
        return out.toString();
    }

    private static Optional<String> text(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value != null && value.length() > 200) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + name + "' is at most 200 characters");
        }
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<Instant> instant(RoutingContext ctx, String name) {
        return text(ctx, name).map(value -> {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "'" + name + "' is an instant such as 2026-12-04T10:00:00Z");
            }
        });
    }

    private static Optional<Long> number(RoutingContext ctx, String name) {
        return text(ctx, name).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "'" + name + "' is a whole number");
            }
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
