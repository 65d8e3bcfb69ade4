package kz.qaqpa.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import kz.qaqpa.adapters.channel.OrderLetter;
import kz.qaqpa.directives.access.OfficialSessions;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealAttachments;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealMonitoring.Finding;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.RestorationOrder;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.InvalidDocumentException;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.intake.IntakeResult;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.signature.SignatureRejectedException;
import kz.qaqpa.directives.text.Texts;
import kz.qaqpa.gateway.access.AccessLog;
import kz.qaqpa.gateway.appeals.AppealHandlers;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The reviewer's pages: the queue of appeals by deadline, and one appeal — the appellant, the
 * evidence, the probes over time, the directive's materials, the forms for findings, the violations
 * and the decision, and once removal is confirmed the drafted order (its text, its PDF, and the
 * RESTORE to sign on the official's own machine), and the form that takes the signed RESTORE back
 * and submits it. Every view of an appeal is recorded in the access log under the official's name;
 * every step goes through the same appeal register as the API's.
 */
public final class ConsoleAppeals {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One appeal as its page shows it. */
    public record View(Appeal appeal, boolean overdue, List<AppealMonitoring.Probe> probes, List<String> linksToCheck,
                       Map<String, Finding> findings, Optional<AppealMonitoring.ViolationsEliminated> violations,
                       List<AppealAttachments.Attachment> attachments, List<StoredDirective> directives,
                       Map<String, RestorationOrder> orders) {
    }

    private final AppealRegister register;
    private final AppealMonitoring monitoring;
    private final AppealAttachments attachments;
    private final DirectiveIntake intake;
    private final LongFunction<List<String>> addressees;
    private final AccessLog accessLog;
    private final ConsoleData data;

    public ConsoleAppeals(AppealRegister register, AppealMonitoring monitoring, AppealAttachments attachments, DirectiveIntake intake,
                   LongFunction<List<String>> addressees, AccessLog accessLog, ConsoleData data) {
        this.register = register;
        this.monitoring = monitoring;
        this.attachments = attachments;
        this.intake = intake;
        this.addressees = addressees;
        this.accessLog = accessLog;
        this.data = data;
    }

    void queue(RoutingContext ctx) {
        OfficialSessions.Session session = Console.session(ctx);
        Blocking.answer(ctx, data::appealQueue, queue -> Console.page(ctx, 200, "appeals", Map.of("t", Console.texts(ctx),
                "s", session, "queue", queue)));
    }

    void show(RoutingContext ctx) {
        showWith(ctx, 200, "", "");
    }

    /** The appeal's page, with what the last step said (an error, or what was done). */
    private void showWith(RoutingContext ctx, int status, String error, String done) {
        OfficialSessions.Session session = Console.session(ctx);
        String number = ctx.pathParam("number");
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            View view = view(number);
            accessLog.record(actor.entry("APPEAL_READ", Optional.ofNullable(view.appeal().directiveId()),
                    "appeal " + number + ": the appellant's data read in the console"));
            return view;
        }, view -> Console.page(ctx, status, "appeal", Map.of("t", Console.texts(ctx), "s", session, "v", view,
                "error", error, "done", done)));
    }

    private View view(String number) {
        Appeal appeal = appeal(number);
        Map<String, Finding> findings = new LinkedHashMap<>();
        monitoring.findings(appeal.id()).forEach(finding -> findings.put(finding.link(), finding));
        List<StoredDirective> directives = appeal.directiveId() == null ? List.of() : monitoring.directives(appeal);
        Map<String, RestorationOrder> orders = new LinkedHashMap<>();
        if (appeal.status() == kz.qaqpa.directives.appeal.AppealStatus.REMOVAL_CONFIRMED) {
            for (StoredDirective directive : directives) {
                orders.put(directive.number(), draft(appeal, directive));
            }
        }
        return new View(appeal, monitoring.isOverdue(appeal), monitoring.probes(appeal.id()),
                appeal.directiveId() == null ? List.of() : monitoring.linksToCheck(appeal), findings,
                monitoring.violationsEliminated(appeal), attachments.list(appeal), directives, orders);
    }

    private RestorationOrder draft(Appeal appeal, StoredDirective directive) {
        return monitoring.draftOrder(appeal, directive, Optional.empty(), addressees.apply(directive.id()),
                directive.authorityName());
    }

    /** An evidence file, downloaded with the session; recorded in the access log like the API's download. */
    void attachment(RoutingContext ctx) {
        AppealHandlers.downloadAttachment(ctx, register, attachments, accessLog, "downloaded in the console");
    }

    /** The reviewer's findings form: for each link, {@code removed-N} yes/no and {@code note-N}, with {@code link-N}. */
    void findings(RoutingContext ctx) {
        Map<String, Finding> byLink = new LinkedHashMap<>();
        for (int i = 0; ctx.request().getFormAttribute("link-" + i) != null; i++) {
            String removed = ctx.request().getFormAttribute("removed-" + i);
            if (removed == null || removed.isEmpty()) {
                continue;
            }
            String link = ctx.request().getFormAttribute("link-" + i);
            byLink.put(link, new Finding(link, "yes".equals(removed), ctx.request().getFormAttribute("note-" + i), null));
        }
        Actor actor = Caller.actor(ctx);
        step(ctx, "doneFindings", () -> {
            if (byLink.isEmpty()) {
                throw new AppealMonitoring.RefusedStepException("choose removed or not removed for at least one link");
            }
            monitoring.recordFindings(appeal(ctx.pathParam("number")), byLink, actor);
        });
    }

    void violations(RoutingContext ctx) {
        String note = ctx.request().getFormAttribute("note");
        Actor actor = Caller.actor(ctx);
        step(ctx, "doneViolations", () -> monitoring.recordViolationsEliminated(appeal(ctx.pathParam("number")), note, actor));
    }

    void decision(RoutingContext ctx) {
        String decision = ctx.request().getFormAttribute("decision");
        String reasons = ctx.request().getFormAttribute("reasons");
        Actor actor = Caller.actor(ctx);
        step(ctx, "doneDecision", () -> monitoring.decide(appeal(ctx.pathParam("number")), decision, reasons, actor));
    }

    /** The drafted RESTORE of one of the appeal's directives, to sign on the official's machine ({@code qaqpa sign}). */
    void restoreDraft(RoutingContext ctx) {
        String number = ctx.pathParam("number");
        String directive = Optional.ofNullable(ctx.queryParams().get("directive")).orElse("");
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> order(number, directive, actor), order -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"restore-" + fileStem(number) + ".json\"")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(order.restore()));
    }

    /** The drafted order as its PDF letter, as operators will read it once signed. */
    void orderPdf(RoutingContext ctx) {
        String number = ctx.pathParam("number");
        String directive = Optional.ofNullable(ctx.queryParams().get("directive")).orElse("");
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            RestorationOrder order = order(number, directive, actor);
            JsonNode restore = JSON.readTree(order.restore());
            return OrderLetter.of(order.restore().getBytes(StandardCharsets.UTF_8), restore.path("number").asText(),
                    Instant.from(java.time.OffsetDateTime.parse(restore.path("issuedAt").asText())),
                    restore.path("authority").path("name").asText()).orElseThrow();
        }, letter -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/pdf")
                .putHeader("Content-Disposition", "attachment; filename=\"order-" + fileStem(number) + ".pdf\"")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(io.vertx.core.buffer.Buffer.buffer(letter.pdf())));
    }

    private RestorationOrder order(String number, String directive, Actor actor) {
        Appeal appeal = appeal(number);
        StoredDirective cancelled = monitoring.orderedDirective(appeal, Optional.of(directive).filter(d -> !d.isBlank()));
        accessLog.record(actor.entry("APPEAL_ORDER_DRAFTED", Optional.of(cancelled.id()),
                "appeal " + number + ": restoration order drafted for directive " + cancelled.number()));
        return draft(appeal, cancelled);
    }

    /** The signed RESTORE taken back (CMS with the document inside, as {@code qaqpa sign} writes it) and submitted. */
    void submitSigned(RoutingContext ctx) {
        List<FileUpload> files = ctx.fileUploads();
        Actor actor = Caller.actor(ctx);
        Texts t = Console.texts(ctx);
        if (files.size() != 1) {
            showWith(ctx, 422, t.get("chooseSignedFile"), "");
            return;
        }
        Path uploaded = Path.of(files.get(0).uploadedFileName());
        Blocking.answer(ctx, () -> {
            try {
                IntakeResult result = intake.submit(new Submission(Files.readAllBytes(uploaded), Optional.empty(), actor.name()));
                accessLog.record(actor.entry("APPEAL_RESTORE_SUBMITTED", Optional.of(result.directive().id()), "appeal "
                        + ctx.pathParam("number") + ": signed RESTORE " + result.directive().number() + " submitted"));
                return Map.of("done", t.get("submitted") + " " + result.directive().number());
            } catch (SignatureRejectedException | InvalidDocumentException | DirectiveRejectedException refused) {
                return Map.of("error", t.get("notSubmitted") + " " + refused.getMessage());
            }
        }, outcome -> showWith(ctx, outcome.containsKey("error") ? 422 : 200, outcome.getOrDefault("error", ""),
                outcome.getOrDefault("done", "")));
    }

    /** Runs a step of the appeal; the page again with what it did, or why it was refused (409). */
    private void step(RoutingContext ctx, String doneKey, ThrowingStep step) {
        Texts t = Console.texts(ctx);
        Blocking.answer(ctx, () -> {
            try {
                step.run();
                return Map.of("done", t.get(doneKey));
            } catch (AppealMonitoring.RefusedStepException refused) {
                return Map.of("error", refused.getMessage());
            }
        }, outcome -> showWith(ctx, outcome.containsKey("error") ? 409 : 200, outcome.getOrDefault("error", ""),
                outcome.getOrDefault("done", "")));
    }

    @FunctionalInterface
    private interface ThrowingStep {
        void run() throws Exception;
    }

    private Appeal appeal(String number) {
        return register.find(number).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no appeal " + number));
    }

    private static String fileStem(String number) {
        return number.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
