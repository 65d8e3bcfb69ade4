package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.directives.calendar.WorkingCalendar.almaty;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealAttachments;
import kz.qaqpa.directives.appeal.AppealDeadlines;
import kz.qaqpa.directives.appeal.AppealForm;
import kz.qaqpa.directives.appeal.AppealMonitoring.Finding;
import kz.qaqpa.directives.appeal.AppealMonitoring.Probe;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.ForeignDocument;
import kz.qaqpa.directives.appeal.RestorationOrder;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.PublicLookup;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.gateway.access.AccessLog;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * Resource owners' way in: {@code POST /api/v1/appeals} registers a restoration appeal,
 * {@code GET /api/v1/appeals/:number} shows it to whoever holds its status token (or the admin
 * token), and {@code GET /public/v1/lookup?q=} tells anyone whether a name or URL is restricted and
 * by which directive — never who appealed.
 */
public final class AppealHandlers {

    private static final Set<String> FIELDS = Set.of("kind", "personName", "iin", "organisationName", "bin",
            "representative", "email", "language", "resource", "directiveNumber", "links", "message", "signature",
            "foreignDocument", "personalDataAcknowledged");

    private final AppealRegister register;
    private final AppealMonitoring monitoring;
    private final AppealProbes probes;
    private final DirectiveRepository directives;
    private final CourtDecisionRepository courtDecisions;
    private final AppealDeadlines deadlines;
    private final LongFunction<List<String>> addressees;
    private final AppealAttachments attachments;
    private final AccessLog accessLog;

    /** @param addressees the names of the recipients a directive went to, whom its restoration order is addressed to */
    public AppealHandlers(AppealRegister register, AppealMonitoring monitoring, AppealProbes probes,
                          DirectiveRepository directives, CourtDecisionRepository courtDecisions, AppealDeadlines deadlines,
                          LongFunction<List<String>> addressees, AppealAttachments attachments, AccessLog accessLog) {
        this.accessLog = accessLog;
        this.register = register;
        this.monitoring = monitoring;
        this.probes = probes;
        this.directives = directives;
        this.courtDecisions = courtDecisions;
        this.deadlines = deadlines;
        this.addressees = addressees;
        this.attachments = attachments;
    }

    /**
     * {@code POST /api/v1/appeals/:number/attachments?name=FILE} with the status token: a PDF, PNG or
     * JPEG file as the body, its type as {@code Content-Type}; 201 with what was kept (its SHA-256).
     */
    public void attach(RoutingContext ctx) {
        Caller.Appellant appellant = (Caller.Appellant) Caller.of(ctx);
        String type = Optional.ofNullable(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))
                .map(value -> value.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT)).orElse("");
        if (!AppealAttachments.mediaTypes().contains(type)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "attach a file of one of "
                    + AppealAttachments.mediaTypes());
        }
        String name = ctx.queryParams().get("name");
        byte[] content = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String number = ctx.pathParam("number");
        Blocking.answer(ctx, () -> {
            Appeal appeal = register.find(number, appellant.statusToken())
                    .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no appeal " + number + " with that token"));
            return attachments.attach(appeal, name, type, content);
        }, attachment -> Bodies.json(ctx, 201, attachmentView(attachment)));
    }

    /**
     * {@code GET /api/v1/appeals/:number/attachments/:id} (admin): the file as it was attached, to
     * download, never to be shown in the gateway's origin.
     */
    public void attachment(RoutingContext ctx) {
        downloadAttachment(ctx, register, attachments, accessLog, "downloaded");
    }

    /**
     * An appeal's evidence file {@code :id} to the official calling, recorded in the access log
     * ("evidence file N {@code how}") before it is answered — the API's download and the console's.
     */
    public static void downloadAttachment(RoutingContext ctx, AppealRegister register, AppealAttachments attachments,
                                          AccessLog accessLog, String how) {
        String number = ctx.pathParam("number");
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no such attachment");
        }
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            Appeal appeal = register.find(number).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                    "no appeal " + number));
            AppealAttachments.Attachment file = attachments.list(appeal).stream().filter(listed -> listed.id() == id)
                    .findFirst().orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no such attachment"));
            byte[] content = attachments.content(appeal, id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                    "the file was removed with the appellant's data at the end of the retention period"));
            accessLog.record(actor.entry("APPEAL_EVIDENCE_READ", Optional.ofNullable(appeal.directiveId()),
                    "appeal " + number + ": evidence file " + id + " " + how));
            return Map.entry(file, content);
        }, found -> answerAttachment(ctx, found.getKey(), found.getValue()));
    }

    /** An evidence file as it was attached, to download, never to be shown in the gateway's origin. */
    private static void answerAttachment(RoutingContext ctx, AppealAttachments.Attachment file, byte[] content) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, file.mediaType())
                .putHeader("Content-Disposition", "attachment; filename=\"attachment-" + file.id() + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                .putHeader("Content-Security-Policy", "sandbox")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(io.vertx.core.buffer.Buffer.buffer(content));
    }

    private static JsonObject attachmentView(AppealAttachments.Attachment attachment) {
        return new JsonObject().put("id", attachment.id()).put("name", attachment.name())
                .put("type", attachment.mediaType()).put("size", attachment.size()).put("sha256", attachment.sha256())
                .put("uploadedAt", almaty(attachment.uploadedAt()));
    }

    /** {@code POST /api/v1/appeals}: 201 with the number, the deadline and the private status link. */
    public void submit(RoutingContext ctx) {
        AppealForm form = form(ctx);
        Blocking.answer(ctx, () -> register.register(form), result -> {
            Appeal appeal = result.appeal();
            probes.probeSoon(appeal);
            String link = "/api/v1/appeals/" + appeal.number() + "?token="
                    + URLEncoder.encode(result.token(), StandardCharsets.UTF_8);
            ctx.response().setStatusCode(201)
                    .putHeader(HttpHeaders.LOCATION, link)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("number", appeal.number()).put("status", appeal.status().name())
                            .put("registeredAt", almaty(appeal.registeredAt()))
                            .put("deadline", almaty(appeal.deadline()))
                            .put("deadlinePending", appeal.deadline() == null)
                            .put("statusLink", link).encode());
        });
    }

    /** {@code GET /api/v1/appeals/:number?token=}: the appeal, to the appellant (token) or the authority (admin token). */
    public void get(RoutingContext ctx) {
        String number = ctx.pathParam("number");
        Caller caller = Caller.of(ctx);
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> caller instanceof Caller.Appellant appellant
                ? register.find(number, appellant.statusToken())
                        .map(appeal -> view(appeal).put("overdue", monitoring.isOverdue(appeal))
                                .put("attachments", attachmentsView(appeal, false)))
                : register.find(number).map(appeal -> {
                    accessLog.record(actor.entry("APPEAL_READ", Optional.ofNullable(appeal.directiveId()),
                            "appeal " + number + ": the appellant's data read"));
                    return authorityView(appeal);
                }), result -> {
            if (result.isEmpty()) {
                // The same answer for an unknown number and a wrong token: nothing to learn by guessing.
                ctx.fail(new ProblemException(ProblemType.NOT_FOUND, "no appeal " + number + " with that token"));
            } else {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(result.get().encode());
            }
        });
    }

    /** {@code POST /api/v1/appeals/:number/findings} (admin): {@code {"findings": [{"link", "removed", "note"}]}}. */
    public void findings(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("findings"));
        if (!(body.getValue("findings") instanceof JsonArray list) || list.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'findings' is a non-empty array of {link, removed, note}");
        }
        Map<String, Finding> byLink = new LinkedHashMap<>();
        for (Object item : list) {
            if (!(item instanceof JsonObject finding) || !(finding.getValue("link") instanceof String link)
                    || !(finding.getValue("removed") instanceof Boolean removed)
                    || (finding.getValue("note") != null && !(finding.getValue("note") instanceof String))) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "each finding is {\"link\": URL, \"removed\": true|false, \"note\": text}");
            }
            byLink.put(link, new Finding(link, removed, finding.getString("note"), null));
        }
        String number = ctx.pathParam("number");
        answer(ctx, () -> {
            Appeal appeal = appeal(number);
            monitoring.recordFindings(appeal, byLink, Caller.actor(ctx));
            return authorityView(register.find(number).orElseThrow());
        });
    }

    /**
     * {@code POST /api/v1/appeals/:number/violations} (admin): {@code {"note"}} records that the
     * violations of the law were eliminated (seed 003 §6), apart from the findings on the links.
     */
    public void violations(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("note"));
        String note = Bodies.text(body, "note");
        String number = ctx.pathParam("number");
        answer(ctx, () -> authorityView(monitoring.recordViolationsEliminated(appeal(number), note, Caller.actor(ctx))));
    }

    /**
     * {@code POST /api/v1/appeals/:number/directive} (admin): {@code {"directiveNumber"}} links an
     * appeal to the RESTRICT in force under that number: an appeal registered as NEEDS_MATCHING to its
     * first, an undecided one to a further directive that restricts the resource too.
     */
    public void link(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("directiveNumber"));
        String directiveNumber = Bodies.text(body, "directiveNumber");
        if (directiveNumber == null || directiveNumber.isBlank() || directiveNumber.length() > 64) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'directiveNumber' is the number of the directive the appeal is about");
        }
        String number = ctx.pathParam("number");
        answer(ctx, () -> authorityView(monitoring.link(appeal(number), directiveNumber, Caller.actor(ctx))));
    }

    /** {@code POST /api/v1/appeals/:number/decision} (admin): {@code {"decision": "REMOVAL_CONFIRMED"|"REFUSED", "reasons"}}. */
    public void decision(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("decision", "reasons"));
        String decision = Bodies.text(body, "decision");
        String reasons = Bodies.text(body, "reasons");
        String number = ctx.pathParam("number");
        answer(ctx, () -> authorityView(monitoring.decide(appeal(number), decision, reasons, Caller.actor(ctx))));
    }

    /**
     * {@code GET /api/v1/appeals/:number/order?directive=&number=&signatory=} (admin): the
     * restoration order drafted after the form of seed 003, in Kazakh and Russian, inside the RESTORE
     * directive to sign, for the appeal's directive {@code directive} (needed only when the appeal is
     * about several), with the authority's outgoing number (the appeal's number and "-R" unless
     * given), addressed to whom that directive went, signed by {@code signatory} (the authority's
     * name unless given).
     */
    public void order(RoutingContext ctx) {
        String number = ctx.pathParam("number");
        Optional<String> directive = query(ctx, "directive", 64);
        Optional<String> outgoing = query(ctx, "number", 64);
        Optional<String> signatory = query(ctx, "signatory", 512);
        Actor actor = Caller.actor(ctx);
        answer(ctx, () -> {
            Appeal appeal = appeal(number);
            StoredDirective cancelled = monitoring.orderedDirective(appeal, directive);
            accessLog.record(actor.entry("APPEAL_ORDER_DRAFTED", Optional.of(cancelled.id()),
                    "appeal " + number + ": restoration order drafted for directive " + cancelled.number()));
            RestorationOrder order = monitoring.draftOrder(appeal, cancelled, outgoing, addressees.apply(cancelled.id()),
                    signatory.orElse(cancelled.authorityName()));
            return new JsonObject().put("appeal", number).put("directive", cancelled.number())
                    .put("kk", order.kazakh()).put("ru", order.russian()).put("restore", new JsonObject(order.restore()));
        });
    }

    /** A query parameter of at most {@code max} characters, when given and not blank. */
    private static Optional<String> query(RoutingContext ctx, String name, int max) {
        String value = ctx.queryParams().get(name);
        if (value != null && value.length() > max) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + name + "' is at most " + max + " characters");
        }
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }

    private Appeal appeal(String number) {
        return register.find(number).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no appeal " + number));
    }

    private static void answer(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> work) {
        Blocking.answer(ctx, work, result -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(result.encode());
        });
    }

    /** The appellant's view with the evidence: every probe and every finding, for the authority. */
    private JsonObject authorityView(Appeal appeal) {
        JsonArray probed = new JsonArray();
        for (Probe probe : monitoring.probes(appeal.id())) {
            JsonObject json = new JsonObject().put("link", probe.link()).put("probedAt", almaty(probe.probedAt()))
                    .put("elapsedMillis", probe.elapsedMillis());
            if (probe.statusCode() != null) {
                json.put("status", probe.statusCode()).put("finalUrl", probe.finalUrl()).put("bodySha256", probe.bodySha256());
            }
            if (probe.error() != null) {
                json.put("error", probe.error());
            }
            if (probe.note() != null) {
                json.put("note", probe.note());
            }
            probed.add(json);
        }
        JsonArray found = new JsonArray();
        for (Finding finding : monitoring.findings(appeal.id())) {
            JsonObject json = new JsonObject().put("link", finding.link()).put("removed", finding.removed())
                    .put("recordedAt", almaty(finding.recordedAt()));
            if (finding.note() != null) {
                json.put("note", finding.note());
            }
            found.add(json);
        }
        JsonObject view = view(appeal).put("overdue", monitoring.isOverdue(appeal)).put("probes", probed).put("findings", found)
                // The directive's own URL targets on the resource: probed, and each needs a finding.
                .put("directiveLinks", new JsonArray(monitoring.directiveLinks(appeal)));
        // What new calendar data changed in the deadline (a late decree, the year it was pending for).
        JsonArray changes = new JsonArray();
        deadlines.changes(appeal).forEach(change -> changes.add(new JsonObject().put("changedAt", almaty(change.changedAt()))
                .put("previous", almaty(change.previous())).put("deadline", almaty(change.deadline()))
                .put("calendar", change.calendar())));
        view.put("deadlineChanges", changes);
        view.put("attachments", attachmentsView(appeal, true));
        monitoring.violationsEliminated(appeal).ifPresent(recorded -> {
            JsonObject violations = new JsonObject().put("recordedAt", almaty(recorded.recordedAt()));
            if (recorded.note() != null) {
                violations.put("note", recorded.note());
            }
            view.put("violationsEliminated", violations);
        });
        // Seed 003 §6: once removal is confirmed, the restoration order is the authority's next step.
        monitoring.orderDue(appeal).ifPresent(due -> view.put("orderDue", almaty(due))
                .put("orderOverdue", monitoring.isOrderOverdue(appeal)));
        // Registered like any appeal, but a court ordered the restriction: the Rules of restoration
        // do not apply, and only a RESTORE citing a court decision lifts it (seed 002 art. 21).
        for (StoredDirective directive : monitoring.directives(appeal)) {
            courtDecisions.findById(directive.id()).ifPresent(decision -> view.put("courtOrdered", new JsonObject()
                    .put("directive", directive.number())
                    .put("court", decision.court())
                    .put("number", decision.decisionNumber())
                    .put("date", decision.decidedOn().toString())
                    .put("note", "the directive executes a court decision: the Rules of restoration do not apply to it,"
                            + " and only a RESTORE citing a court decision lifts it")));
        }
        return view;
    }

    /** An appeal's files as listed; for the authority with where to download each. */
    private JsonArray attachmentsView(Appeal appeal, boolean authority) {
        JsonArray files = new JsonArray();
        for (AppealAttachments.Attachment attachment : attachments.list(appeal)) {
            JsonObject file = attachmentView(attachment);
            if (authority) {
                file.put("href", "/api/v1/appeals/" + appeal.number() + "/attachments/" + attachment.id());
            }
            files.add(file);
        }
        return files;
    }

    /** {@code GET /public/v1/lookup?q=DOMAIN-OR-URL}: whether it is restricted, by which directives, since when. */
    public void lookup(RoutingContext ctx) {
        String query = ctx.queryParams().get("q");
        if (query == null || query.isBlank() || query.length() > PublicLookup.MAX_QUERY) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "ask about a domain name or URL: ?q=casino.kz");
        }
        List<String> keys = PublicLookup.keys(query);
        if (keys.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + query + "' is not a domain name, URL or address");
        }
        Blocking.answer(ctx, () -> PublicLookup.restricting(directives, keys), restricting -> {
            JsonArray found = new JsonArray();
            restricting.stream().map(AppealHandlers::publicView).forEach(found::add);
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("query", query.strip()).put("restricted", !found.isEmpty())
                            .put("directives", found).encode());
        });
    }

    /**
     * {@code GET /public/v1/directives/:number} (JSON): what the public may know of the directives
     * under that number — the target of the {@code blocked-by} link a filtering node's 451 gives. No
     * personal data, no targets (the look-up answers for a target one knows), nothing about appeals
     * but the way to one while a RESTRICT is in force.
     */
    public void directive(RoutingContext ctx) {
        String number = ctx.pathParam("number");
        Blocking.answer(ctx, () -> directives.findByNumber(number), found -> {
            if (found.isEmpty()) {
                ctx.fail(new ProblemException(ProblemType.NOT_FOUND, "there is no directive " + number));
                return;
            }
            JsonArray items = new JsonArray();
            for (StoredDirective directive : found) {
                JsonObject item = publicView(directive).put("action", directive.action().name())
                        .put("status", directive.status().name());
                item.remove("restrictedSince");
                item.put("acceptedAt", almaty(directive.receivedAt()));
                if (directive.action() == Action.RESTRICT && directive.status() == DirectiveStatus.ACTIVE) {
                    item.put("appeal", "/appeal?directive=" + URLEncoder.encode(number, StandardCharsets.UTF_8));
                }
                items.add(item);
            }
            Bodies.json(ctx, 200, new JsonObject().put("number", number).put("directives", items));
        });
    }

    /** What the public may know of a directive: no personal data, nothing about appeals. */
    private static JsonObject publicView(StoredDirective directive) {
        LocalDate issued = directive.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate();
        JsonObject view = new JsonObject().put("number", directive.number()).put("issuedOn", issued.toString())
                .put("authority", new JsonObject().put("name", directive.authorityName()).put("bin", directive.authorityBin()))
                .put("legalBasis", directive.legalBasis())
                .put("restrictedSince", almaty(directive.receivedAt()));
        // A restriction for a period says until when.
        Optional.ofNullable(directive.expiresAt()).ifPresent(until -> view.put("restrictedUntil", almaty(until)));
        // A ban on the domain names themselves (seed 002 art. 21): suspended, or annulled and not to be registered again.
        Optional.ofNullable(directive.domainBan()).ifPresent(ban -> view.put("domainBan", new JsonObject()
                .put("kind", ban).put("until", almaty(directive.domainBanUntil()))));
        return view;
    }

    private JsonObject view(Appeal appeal) {
        JsonObject appellant = new JsonObject().put("kind", appeal.kind()).put("email", appeal.email())
                .put("emailConfirmed", appeal.emailConfirmed()).put("language", appeal.language());
        if (appeal.personName() != null) {
            appellant.put("personName", appeal.personName()).put("iin", appeal.iin());
        } else {
            appellant.put("organisationName", appeal.organisationName()).put("bin", appeal.bin())
                    .put("representative", appeal.representative());
        }
        if (appeal.foreignDocument() != null) {
            appellant.put("foreignDocument", new JsonObject().put("type", appeal.foreignDocument().type())
                    .put("number", appeal.foreignDocument().number()).put("country", appeal.foreignDocument().country()));
        }
        JsonObject view = new JsonObject().put("number", appeal.number()).put("status", appeal.status().name())
                .put("registeredAt", almaty(appeal.registeredAt())).put("deadline", almaty(appeal.deadline()))
                // Null while the calendar lacks the year it falls in; computed when the data arrives.
                .put("deadlinePending", appeal.deadline() == null)
                .put("resource", appeal.resource()).put("directiveNumber", appeal.directiveNumber())
                // Every directive the appeal is about: the first, then those the authority linked it to as well.
                .put("directives", new JsonArray(monitoring.directives(appeal).stream().map(StoredDirective::number).toList()))
                .put("citedDirective", appeal.citedDirective())
                .put("links", new JsonArray(appeal.links())).put("appellant", appellant);
        if (appeal.unmatched() != null) {
            // Registered all the same (seed 003 §3, §5); the authority links it to the directive it is about.
            view.put("unmatched", appeal.unmatched());
        }
        if (appeal.message() != null) {
            view.put("message", appeal.message());
        }
        if (appeal.reasons() != null) {
            view.put("reasons", appeal.reasons());
        }
        return view;
    }

    private static AppealForm form(RoutingContext ctx) {
        JsonObject json = Bodies.object(ctx, FIELDS);
        List<String> links = new ArrayList<>();
        Object given = json.getValue("links");
        if (given instanceof JsonArray array) {
            for (Object link : array) {
                links.add(link instanceof String text ? text : null);
            }
        } else if (given != null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'links' must be an array of URLs");
        }
        Optional<byte[]> signature = Optional.ofNullable(Bodies.text(json, "signature")).map(text -> {
            try {
                return Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "'signature' is not base64");
            }
        });
        return new AppealForm(Bodies.text(json, "kind"), Bodies.text(json, "personName"), Bodies.text(json, "iin"),
                Bodies.text(json, "organisationName"), Bodies.text(json, "bin"), Bodies.text(json, "representative"), Bodies.text(json, "email"),
                Bodies.text(json, "language"), Bodies.text(json, "resource"), Bodies.text(json, "directiveNumber"), links,
                Bodies.text(json, "message"), signature, foreignDocument(json),
                Bodies.flag(json, "personalDataAcknowledged").orElse(false));
    }

    /** {@code "foreignDocument": {"type", "number", "country"}}, for an appellant without an IIN or BIN. */
    private static ForeignDocument foreignDocument(JsonObject json) {
        Object given = json.getValue("foreignDocument");
        if (given == null) {
            return null;
        }
        if (!(given instanceof JsonObject document)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'foreignDocument' must be an object of type, number and country");
        }
        if (!Set.of("type", "number", "country").containsAll(document.fieldNames())) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'foreignDocument' has only type, number and country");
        }
        return new ForeignDocument(Bodies.text(document, "type"), Bodies.text(document, "number"),
                Bodies.text(document, "country"));
    }

}
