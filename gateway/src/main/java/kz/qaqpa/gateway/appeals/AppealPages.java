package kz.qaqpa.gateway.appeals;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealAttachments;
import kz.qaqpa.directives.appeal.AppealForm;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.AppealStatus;
import kz.qaqpa.directives.appeal.ForeignDocument;
import kz.qaqpa.directives.appeal.InvalidAppealException;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.PublicLookup;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.AuthorityNames;
import kz.qaqpa.directives.text.LegalDates;
import kz.qaqpa.directives.text.Texts;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.HtmlPages;

/**
 * The pages resource owners use: {@code /appeal} (the form; submitting works without JavaScript),
 * {@code /appeal/status/:number?token=} and {@code /lookup}, in Kazakh, Russian and English
 * ({@code ?lang=kk|ru|en}). Plain HTML and CSS served by the gateway, from templates that escape
 * every value they show ({@code src/main/jte/appeals}) and words from the bundle {@value #BUNDLE}.
 */
public final class AppealPages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    /** The pages' words, one file per language. */
    static final String BUNDLE = "kz.qaqpa.gateway.appeals.pages";
    /** The pages, compiled with the gateway (src/main/jte): every value they show is escaped unless marked otherwise. */
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);
    private static final List<String> KINDS = List.of("OWNER", "REPRESENTATIVE", "USER");
    /** The form's one script: no second submission while the first is on its way. */
    private static final String SCRIPT = "document.getElementById('appeal').addEventListener('submit',function(){"
            + "document.getElementById('send').disabled=true;});";
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
            h1{font-size:1.5rem}label{display:block;margin:.6rem 0 .2rem}input,select,textarea{width:100%;padding:.4rem;\
            box-sizing:border-box}fieldset{margin:1rem 0;border:1px solid #ccc}button{margin-top:1rem;padding:.6rem 1.2rem}\
            .errors{background:#fde8e8;padding:.6rem 1rem;border-left:4px solid #c00}.ok{background:#e8f6ea;padding:.6rem 1rem;\
            border-left:4px solid #2a7}nav a{margin-right:.8rem}dt{font-weight:600}.check input{width:auto}""";
    /**
     * Only this page's own style and script run (by their hashes, no 'unsafe-inline'), forms post
     * only here, and no other site may frame the pages (click-jacking).
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; script-src '" + sha256(SCRIPT) + "'; img-src 'self'; form-action 'self'; base-uri 'none';"
            + " frame-ancestors 'none'";


    private final AppealRegister register;
    private final AppealMonitoring monitoring;
    private final AppealProbes probes;
    private final DirectiveRepository directives;
    private final Duration keepAppellants;
    private final AppealAttachments attachments;
    private final Path uploads;

    /**
     * @param keepAppellants how long appellants' personal data is kept after their appeal closes (the form says so)
     * @param uploads        a private directory where files being attached wait while their request is read
     */
    public AppealPages(AppealRegister register, AppealMonitoring monitoring, AppealProbes probes,
                       DirectiveRepository directives, Duration keepAppellants, AppealAttachments attachments,
                       Path uploads) {
        this.register = register;
        this.monitoring = monitoring;
        this.probes = probes;
        this.directives = directives;
        this.keepAppellants = keepAppellants;
        this.attachments = attachments;
        this.uploads = uploads;
    }

    /** Where files being attached wait while their request is read (and are deleted once it is answered). */
    public Path uploads() {
        return uploads;
    }

    /**
     * {@code POST /appeal/attach/:number?token=&lang=} (multipart, field {@code file}): the status
     * page's way to attach evidence; its type is what its first bytes say. Back to the status page
     * (303), or a page saying what is wrong.
     */
    public void attach(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        String token = Optional.ofNullable(ctx.queryParams().get("token")).orElse("");
        List<FileUpload> files = ctx.fileUploads();
        if (files.size() != 1 || files.get(0).size() == 0) {
            page(ctx, 422, "message", Map.of("t", t, "title", t.get("attachRefused"), "id", "attachRefused",
                    "text", t.get("attachChoose"), "ok", false));
            return;
        }
        FileUpload upload = files.get(0);
        ctx.vertx().executeBlocking(() -> {
            Optional<Appeal> appeal = register.find(number, token);
            if (appeal.isPresent()) {
                byte[] content = Files.readAllBytes(Path.of(upload.uploadedFileName()));
                attachments.attach(appeal.get(), upload.fileName(),
                        AppealAttachments.typeOf(content).orElse(upload.contentType()), content);
            }
            return appeal.isPresent();
        }, false).onComplete(outcome -> {
            if (outcome.succeeded() && !outcome.result()) {
                notFound(ctx, t);
            } else if (outcome.succeeded()) {
                ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/appeal/status/" + number + "?token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&lang=" + t.language()).end();
            } else if (outcome.cause() instanceof InvalidAppealException
                    || outcome.cause() instanceof AppealMonitoring.RefusedStepException) {
                page(ctx, 422, "message", Map.of("t", t, "title", t.get("attachRefused"), "id", "attachRefused",
                        "text", t.get("attachRules"), "ok", false));
            } else {
                ctx.fail(outcome.cause());
            }
        });
    }

    /** {@code GET /appeal?lang=&resource=&directive=}: the form, pre-filled from the look-up. */
    public void form(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        MultiMap values = MultiMap.caseInsensitiveMultiMap()
                .add("resource", Optional.ofNullable(ctx.queryParams().get("resource")).orElse(""))
                .add("directiveNumber", Optional.ofNullable(ctx.queryParams().get("directive")).orElse(""));
        page(ctx, 200, "form", form(t, values, List.of(), keepAppellants));
    }

    /** {@code POST /appeal} (a form): 201 with the registration, or 422 with the form and what is wrong. */
    public void submit(RoutingContext ctx) {
        MultiMap values = ctx.request().formAttributes();
        Texts t = texts(values.get("language"));
        List<String> links = Arrays.stream(Optional.ofNullable(values.get("links")).orElse("").split("\\R"))
                .map(String::strip).filter(link -> !link.isEmpty()).toList();
        AppealForm form = new AppealForm(values.get("kind"), blank(values.get("personName")), blank(values.get("iin")),
                blank(values.get("organisationName")), blank(values.get("bin")), blank(values.get("representative")),
                blank(values.get("email")), t.language(), blank(values.get("resource")), blank(values.get("directiveNumber")),
                links, blank(values.get("message")), Optional.empty(), foreignDocument(values),
                "yes".equals(values.get("personalDataAcknowledged")));
        ctx.vertx().executeBlocking(() -> register.register(form), false).onComplete(outcome -> {
            if (outcome.failed() && outcome.cause() instanceof InvalidAppealException invalid) {
                List<String> errors = invalid.problems().stream().map(problem -> error(t, problem)).toList();
                page(ctx, 422, "form", form(t, values, errors, keepAppellants));
            } else if (outcome.failed()) {
                ctx.fail(outcome.cause());
            } else {
                Appeal appeal = outcome.result().appeal();
                probes.probeSoon(appeal);
                String link = "/appeal/status/" + appeal.number() + "?token="
                        + URLEncoder.encode(outcome.result().token(), StandardCharsets.UTF_8) + "&lang=" + t.language();
                page(ctx, 201, "registered", Map.of("t", t, "number", appeal.number(), "deadline", deadline(t, appeal),
                        "link", link, "needsMatching", appeal.status() == AppealStatus.NEEDS_MATCHING));
            }
        });
    }

    /** {@code GET /appeal/status/:number?token=}: the appeal's state, for the token holder. */
    public void status(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        String token = Optional.ofNullable(ctx.queryParams().get("token")).orElse("");
        Blocking.answer(ctx, () -> register.find(number, token).map(appeal -> new Status(appeal,
                monitoring.isOverdue(appeal), attachments.list(appeal).stream().map(AppealAttachments.Attachment::name)
                        .toList())), found -> {
            if (found.isEmpty()) {
                notFound(ctx, t);
            } else {
                Appeal appeal = found.get().appeal();
                page(ctx, 200, "status", Map.of("t", t, "appeal", appeal, "overdue", found.get().overdue(),
                        "deadline", deadline(t, appeal), "files", found.get().files(),
                        "attachLink", "/appeal/attach/" + appeal.number() + "?token="
                                + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&lang=" + t.language()));
            }
        });
    }

    /** {@code GET /appeal/confirm/:number?token=}: the link mailed to an appellant confirms the address. */
    public void confirm(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        String token = Optional.ofNullable(ctx.queryParams().get("token")).orElse("");
        Blocking.answer(ctx, () -> register.confirmEmail(number, token), confirmed -> {
            if (!confirmed) {
                notFound(ctx, t);
            } else {
                page(ctx, 200, "message", Map.of("t", t, "title", t.get("emailConfirmed"), "id", "confirmed",
                        "text", number + ": " + t.get("emailConfirmedText"), "ok", true));
            }
        });
    }

    /** {@code GET /lookup?q=}: is it restricted, by which directive, since when — and the way to appeal. */
    public void lookup(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        String query = Optional.ofNullable(ctx.queryParams().get("q")).map(String::strip).orElse("");
        List<String> keys = PublicLookup.keys(query);
        if (keys.isEmpty()) {
            page(ctx, query.isEmpty() ? 200 : 400, "lookup", Map.of("t", t, "query", query, "answer", Optional.empty()));
            return;
        }
        Blocking.answer(ctx, () -> PublicLookup.restricting(directives, keys), restricting -> {
            List<Found> found = restricting.stream()
                    .map(directive -> found(t, directive, "/appeal?lang=" + t.language() + "&resource="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)
                            + "&directive=" + URLEncoder.encode(directive.number(), StandardCharsets.UTF_8)))
                    .toList();
            page(ctx, 200, "lookup", Map.of("t", t, "query", query, "answer", Optional.of(found)));
        });
    }

    /**
     * {@code GET /public/v1/directives/:number} for a browser ({@code Accept: text/html}): each
     * directive under that number, whether it is in force, and the way to appeal while a RESTRICT is.
     */
    public void directive(RoutingContext ctx) {
        Texts t = texts(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        Blocking.answer(ctx, () -> directives.findByNumber(number), found -> {
            if (found.isEmpty()) {
                page(ctx, 404, "message", Map.of("t", t, "title", t.get("directiveNotFound"), "id", "notFound",
                        "text", t.get("directiveNotFound"), "ok", false));
                return;
            }
            List<Shown> shown = found.stream().map(directive -> {
                boolean inForce = directive.action() == Action.RESTRICT && directive.status() == DirectiveStatus.ACTIVE;
                String state = directive.action() == Action.RESTORE ? t.get("resumed")
                        : inForce ? t.get("restricted") : t.get("directiveCancelled");
                return new Shown(found(t, directive,
                        "/appeal?lang=" + t.language() + "&directive=" + URLEncoder.encode(number, StandardCharsets.UTF_8)),
                        state, inForce);
            }).toList();
            page(ctx, 200, "directive", Map.of("t", t, "shown", shown));
        });
    }

    /** What the status page shows of an appeal beyond the appeal itself. */
    private record Status(Appeal appeal, boolean overdue, List<String> files) {
    }

    /** A directive as its public page shows it: what it is, its state in words, whether an appeal is open. */
    public record Shown(Found directive, String state, boolean appealable) {
    }

    /**
     * A directive as the look-up shows it: {@code title} its kind, number and date in the page
     * language's legal form ("2026 жылғы 20 қарашадағы № … нұсқама", "Предписание № … от 20.11.2026");
     * {@code until} when a restriction for a period ends, else null; {@code ban} the ban on the domain names
 * it carries out, in words, else null.
     */
    public record Found(String number, String title, String authority, String legalBasis, String since, String until,
                        String ban, String appealLink) {
    }

    private static Found found(Texts t, StoredDirective directive, String appealLink) {
        LocalDate issued = directive.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate();
        String date = "kk".equals(t.language()) ? LegalDates.kazakhOf(issued) : LegalDates.russian(issued);
        String title = t.format(directive.action() == Action.RESTORE ? "restoreTitle" : "directiveTitle",
                Map.of("number", directive.number(), "date", date));
        String ban = directive.domainBan() == null ? null
                : t.format("ban." + directive.domainBan(), Map.of("until", when(directive.domainBanUntil())));
        return new Found(directive.number(), title, AuthorityNames.in(directive.document(), t.language(), directive.authorityName()),
                directive.legalBasis(),
                when(directive.receivedAt()), directive.expiresAt() == null ? null : when(directive.expiresAt()), ban,
                appealLink);
    }

    private static Map<String, Object> form(Texts t, MultiMap values, List<String> errors, Duration keep) {
        Function<String, String> value = name -> Optional.ofNullable(values.get(name)).orElse("");
        return Map.of("t", t, "script", SCRIPT, "value", value, "errors", errors, "kinds", KINDS,
                "documentTypes", ForeignDocument.TYPES.stream().sorted().toList(),
                "personalData", t.format("personalData", Map.of("keep", period(t, keep))),
                "acknowledged", "yes".equals(values.get("personalDataAcknowledged")));
    }

    /** A retention period in the page's words: whole years when it is (give or take leap days), else days. */
    static String period(Texts t, Duration keep) {
        long days = keep.toDays();
        long years = days / 365;
        if (years >= 1 && days % 365 <= years / 4 + 1) {
            return t.format(years % 10 == 1 && years % 100 != 11 ? "years.one"
                    : years % 10 >= 2 && years % 10 <= 4 && (years % 100 < 12 || years % 100 > 14) ? "years.few"
                    : "years.many", Map.of("n", Long.toString(years)));
        }
        return t.format("days", Map.of("n", Long.toString(days)));
    }

    /**
     * What is wrong with a field, in the page's language: the field's name and the bundle's word for
     * what it needs ({@code invalid.FIELD}); the register's own detail where the bundle has none.
     */
    private static String error(Texts t, InvalidAppealException.Problem problem) {
        String field = problem.pointer().replaceFirst("^/", "").replaceFirst("/.*", "");
        String key = "invalid." + field;
        return label(t, problem.pointer()) + ": " + (t.keys().contains(key) ? t.get(key) : problem.detail());
    }

    private static void notFound(RoutingContext ctx, Texts t) {
        page(ctx, 404, "message", Map.of("t", t, "title", t.get("notFound"), "id", "notFound", "text", t.get("notFound"),
                "ok", false));
    }

    /** The name of the field a problem points at, in the page's language. */
    /** The form's foreign document, when any of its fields is filled in; the country's code in capitals. */
    private static ForeignDocument foreignDocument(MultiMap values) {
        String type = blank(values.get("documentType"));
        String number = blank(values.get("documentNumber"));
        String country = blank(values.get("documentCountry"));
        if (type == null && number == null && country == null) {
            return null;
        }
        return new ForeignDocument(type, number, country == null ? null : country.strip().toUpperCase(Locale.ROOT));
    }

    private static String label(Texts t, String pointer) {
        String field = pointer.replaceFirst("^/", "").replaceFirst("/.*", "");
        return t.keys().contains(field) ? t.get(field) : field;
    }

    private static Texts texts(String language) {
        return Texts.of(BUNDLE, language);
    }

    /** Renders {@code appeals/NAME.jte} with its parameters (and the style the policy allows) as the answer. */
    private static void page(RoutingContext ctx, int status, String name, Map<String, Object> parameters) {
        Map<String, Object> all = new HashMap<>(parameters);
        all.put("style", STYLE);
        StringOutput html = new StringOutput();
        TEMPLATES.render("appeals/" + name + ".jte", all, html);
        HtmlPages.answer(ctx, status, html.toString(), CONTENT_SECURITY_POLICY);
    }

    /** The end of the monitoring, or that it waits for the calendar of its year. */
    private static String deadline(Texts t, Appeal appeal) {
        return appeal.deadline() == null ? t.get("deadlinePending") : when(appeal.deadline());
    }

    private static String when(Instant instant) {
        return WHEN.format(instant.atOffset(WorkingCalendar.ALMATY)) + " (UTC+5)";
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The CSP source of an inline text: 'sha256-' and its digest in base64. */
    private static String sha256(String inline) {
        return "sha256-" + java.util.Base64.getEncoder().encodeToString(Sha256.digest()
                .digest(inline.getBytes(StandardCharsets.UTF_8)));
    }
}
