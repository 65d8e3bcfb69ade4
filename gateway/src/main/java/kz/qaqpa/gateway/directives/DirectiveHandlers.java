package kz.qaqpa.gateway.directives;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.targets.TargetKeys;
import kz.qaqpa.gateway.blocklist.Nodes;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The authorised body's directive routes: submit a signed directive, read one, search them.
 * Database work runs on a worker; these handlers only parse and answer.
 */
public final class DirectiveHandlers {

    /** An attached CMS signature, DER or PEM (RFC 8551 media type). */
    public static final String ATTACHED = "application/pkcs7-mime";
    /** A detached signature beside its document: {@code {"document": base64, "signature": base64}}. */
    public static final String DETACHED_ENVELOPE = "application/json";

    private static final int PAGE_SIZE = 50;
    private static final Set<String> ENVELOPE_FIELDS = Set.of("document", "signature");

    private final DirectiveIntake intake;
    private final DirectiveRepository directives;
    private final TargetRepository targets;
    private final CourtDecisionRepository courtDecisions;
    private final Nodes nodes;

    public DirectiveHandlers(DirectiveIntake intake, DirectiveRepository directives, TargetRepository targets,
                             CourtDecisionRepository courtDecisions, Nodes nodes) {
        this.intake = intake;
        this.directives = directives;
        this.targets = targets;
        this.courtDecisions = courtDecisions;
        this.nodes = nodes;
    }

    /** {@code POST /api/v1/directives}: 201 when accepted now, 200 when the same document was accepted before. */
    public void submit(RoutingContext ctx) {
        Submission submission = submission(ctx);
        Blocking.answer(ctx, () -> intake.submit(submission), result -> {
            JsonObject body = DirectiveViews.summary(result.directive()).put("created", result.created());
            result.effect().ifPresent(effect -> body.put("effect", DirectiveViews.effect(effect)));
            ctx.response()
                    .setStatusCode(result.created() ? 201 : 200)
                    .putHeader(HttpHeaders.LOCATION, "/api/v1/directives/" + result.directive().id())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body.encode());
        });
    }

    /** {@code GET /api/v1/directives/:id}: the directive with its targets, and how many filtering nodes enforce it. */
    public void get(RoutingContext ctx) {
        long id = id(ctx.pathParam("id"));
        Blocking.answer(ctx, () -> {
            Optional<StoredDirective> found = directives.findById(id);
            if (found.isEmpty()) {
                return Optional.<JsonObject>empty();
            }
            return Optional.of(DirectiveViews.detail(found.get(), targets.findByDirectiveIdOrderByPosition(id),
                            courtDecisions.findById(id))
                    .put("enforcement", enforcement(found.get().blocklistSerial())));
        }, result -> {
            if (result.isEmpty()) {
                ctx.fail(new ProblemException(ProblemType.NOT_FOUND, "there is no directive " + id));
            } else {
                json(ctx, result.get());
            }
        });
    }

    /** {@code GET /api/v1/directives?number=&status=&target=&page=}: newest first, 50 a page. */
    public void search(RoutingContext ctx) {
        String number = ctx.queryParams().get("number");
        String status = status(ctx.queryParams().get("status"));
        Optional<List<String>> keys = Optional.ofNullable(ctx.queryParams().get("target")).map(DirectiveHandlers::targetKeys);
        int page = page(ctx.queryParams().get("page"));
        long offset = (long) (page - 1) * PAGE_SIZE;
        Blocking.answer(ctx, () -> keys
                .map(hashes -> directives.searchByTarget(number, status, hashes, PAGE_SIZE, offset))
                .orElseGet(() -> directives.search(number, status, PAGE_SIZE, offset)), result -> {
            JsonArray items = new JsonArray();
            result.stream().map(DirectiveViews::summary).forEach(items::add);
            json(ctx, new JsonObject().put("page", page).put("pageSize", PAGE_SIZE).put("items", items));
        });
    }

    /** How many nodes report, and how many state in a receipt that verifies that they enforce {@code serial}. */
    private JsonObject enforcement(Long serial) throws SQLException {
        List<Nodes.View> all = nodes.all();
        long applied = serial == null ? 0 : all.stream().filter(node -> node.enforcedSerial() >= serial).count();
        return new JsonObject().put("nodes", all.size()).put("applied", applied);
    }

    private static Submission submission(RoutingContext ctx) {
        String contentType = Optional.ofNullable(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))
                .map(type -> type.split(";")[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new ProblemException(ProblemType.UNSIGNED, "the request has no body; send a signed directive");
        }
        String submittedBy = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        return switch (contentType) {
            case ATTACHED -> new Submission(body.getBytes(), Optional.empty(), submittedBy);
            case DETACHED_ENVELOPE -> envelope(body, submittedBy);
            default -> throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send " + ATTACHED
                    + " (a CMS signature with the document inside) or " + DETACHED_ENVELOPE
                    + " ({\"document\": base64, \"signature\": base64})");
        };
    }

    private static Submission envelope(Buffer body, String submittedBy) {
        JsonObject envelope;
        try {
            envelope = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "the envelope is not a JSON object");
        }
        for (String field : envelope.fieldNames()) {
            if (!ENVELOPE_FIELDS.contains(field)) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "the envelope has an unknown field '" + field + "'");
            }
        }
        return new Submission(base64(envelope, "signature"), Optional.of(base64(envelope, "document")), submittedBy);
    }

    private static byte[] base64(JsonObject envelope, String field) {
        Object value = envelope.getValue(field);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "the envelope needs '" + field + "' as base64 text");
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + field + "' is not base64");
        }
    }

    /** A directive's id from a path; anything but a positive number is a directive that does not exist. */
    public static long id(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.NOT_FOUND, "there is no directive " + text);
    }

    private static String status(String text) {
        if (text == null) {
            return null;
        }
        try {
            return DirectiveStatus.valueOf(text).name();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "status is ACTIVE or CANCELLED");
        }
    }

    private static List<String> targetKeys(String text) {
        List<String> keys = TargetKeys.candidates(text);
        if (keys.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "target '" + text + "' is not a domain, URL, address or network");
        }
        return keys.stream().map(BlocklistKey::sha256).toList();
    }

    private static int page(String text) {
        if (text == null) {
            return 1;
        }
        try {
            int page = Integer.parseInt(text);
            if (page >= 1 && page <= 1_000_000) {
                return page;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.BAD_REQUEST, "page is a whole number from 1");
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
