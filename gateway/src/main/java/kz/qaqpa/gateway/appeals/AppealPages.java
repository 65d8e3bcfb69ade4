package kz.qaqpa.gateway.appeals;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealForm;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.InvalidAppealException;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.targets.TargetKeys;

/**
 * The pages resource owners use: {@code /appeal} (the form; submitting works without JavaScript),
 * {@code /appeal/status/:number?token=} and {@code /lookup}, in Kazakh, Russian and English
 * ({@code ?lang=kk|ru|en}). Plain HTML and CSS served by the gateway; every value shown is escaped.
 */
public final class AppealPages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final List<String> KINDS = List.of("OWNER", "REPRESENTATIVE", "USER");
    /** The form's one script: no second submission while the first is on its way. */
    private static final String SCRIPT = "document.getElementById('appeal').addEventListener('submit',function(){"
            + "document.getElementById('send').disabled=true;});";
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
            h1{font-size:1.5rem}label{display:block;margin:.6rem 0 .2rem}input,select,textarea{width:100%;padding:.4rem;\
            box-sizing:border-box}fieldset{margin:1rem 0;border:1px solid #ccc}button{margin-top:1rem;padding:.6rem 1.2rem}\
            .errors{background:#fde8e8;padding:.6rem 1rem;border-left:4px solid #c00}.ok{background:#e8f6ea;padding:.6rem 1rem;\
            border-left:4px solid #2a7}nav a{margin-right:.8rem}dt{font-weight:600}""";
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

    public AppealPages(AppealRegister register, AppealMonitoring monitoring, AppealProbes probes,
                       DirectiveRepository directives) {
        this.register = register;
        this.monitoring = monitoring;
        this.probes = probes;
        this.directives = directives;
    }

    /** {@code GET /appeal?lang=&resource=&directive=}: the form, pre-filled from the look-up. */
    public void form(RoutingContext ctx) {
        String lang = PageText.language(ctx.queryParams().get("lang"));
        MultiMap values = MultiMap.caseInsensitiveMultiMap()
                .add("resource", Optional.ofNullable(ctx.queryParams().get("resource")).orElse(""))
                .add("directiveNumber", Optional.ofNullable(ctx.queryParams().get("directive")).orElse(""));
        html(ctx, 200, lang, PageText.get(lang, "title"), form(lang, values, List.of()));
    }

    /** {@code POST /appeal} (a form): 201 with the registration, or 422 with the form and what is wrong. */
    public void submit(RoutingContext ctx) {
        MultiMap values = ctx.request().formAttributes();
        String lang = PageText.language(values.get("language"));
        List<String> links = Arrays.stream(Optional.ofNullable(values.get("links")).orElse("").split("\\R"))
                .map(String::strip).filter(link -> !link.isEmpty()).toList();
        AppealForm form = new AppealForm(values.get("kind"), blank(values.get("personName")), blank(values.get("iin")),
                blank(values.get("organisationName")), blank(values.get("bin")), blank(values.get("representative")),
                blank(values.get("email")), lang, blank(values.get("resource")), blank(values.get("directiveNumber")), links,
                blank(values.get("message")), Optional.empty());
        ctx.vertx().executeBlocking(() -> register.register(form), false).onComplete(outcome -> {
            if (outcome.failed() && outcome.cause() instanceof InvalidAppealException invalid) {
                List<String> errors = invalid.problems().stream()
                        .map(problem -> label(lang, problem.pointer()) + ": " + problem.detail()).toList();
                html(ctx, 422, lang, PageText.get(lang, "title"), form(lang, values, errors));
            } else if (outcome.failed()) {
                ctx.fail(outcome.cause());
            } else {
                Appeal appeal = outcome.result().appeal();
                probes.probeSoon(appeal);
                String link = "/appeal/status/" + appeal.number() + "?token="
                        + URLEncoder.encode(outcome.result().token(), StandardCharsets.UTF_8) + "&lang=" + lang;
                html(ctx, 201, lang, PageText.get(lang, "registered"), "<div class=\"ok\"><dl>"
                        + item(PageText.get(lang, "number"), "<span id=\"number\">" + escape(appeal.number()) + "</span>")
                        + item(PageText.get(lang, "deadline"), "<span id=\"deadline\">" + when(appeal.deadline()) + "</span>")
                        + item(PageText.get(lang, "statusLink"), "<a id=\"status\" href=\"" + escape(link) + "\">"
                                + escape(link) + "</a>")
                        + "</dl></div>");
            }
        });
    }

    /** {@code GET /appeal/status/:number?token=}: the appeal's state, for the token holder. */
    public void status(RoutingContext ctx) {
        String lang = PageText.language(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        String token = Optional.ofNullable(ctx.queryParams().get("token")).orElse("");
        ctx.vertx().executeBlocking(() -> register.find(number, token).map(appeal -> Map.entry(appeal,
                monitoring.isOverdue(appeal))), false).onComplete(outcome -> {
            if (outcome.failed()) {
                ctx.fail(outcome.cause());
            } else if (outcome.result().isEmpty()) {
                html(ctx, 404, lang, PageText.get(lang, "notFound"), "<p>" + escape(PageText.get(lang, "notFound")) + "</p>");
            } else {
                Appeal appeal = outcome.result().get().getKey();
                html(ctx, 200, lang, escape(appeal.number()), "<dl>"
                        + item(PageText.get(lang, "status"), "<span id=\"state\">" + escape(appeal.status())
                                + (outcome.result().get().getValue() ? " (OVERDUE)" : "") + "</span>")
                        + item(PageText.get(lang, "deadline"), when(appeal.deadline()))
                        + item(PageText.get(lang, "resource"), escape(appeal.resource()))
                        + item(PageText.get(lang, "directiveNumber"), escape(appeal.directiveNumber()))
                        + (appeal.reasons() == null ? "" : item("⋯", escape(appeal.reasons())))
                        + item(PageText.get(lang, "email"), appeal.emailConfirmed()
                                ? escape(PageText.get(lang, "emailConfirmed")) : escape(PageText.get(lang, "emailPending")))
                        + "</dl>");
            }
        });
    }

    /** {@code GET /appeal/confirm/:number?token=}: the link mailed to an appellant confirms the address. */
    public void confirm(RoutingContext ctx) {
        String lang = PageText.language(ctx.queryParams().get("lang"));
        String number = ctx.pathParam("number");
        String token = Optional.ofNullable(ctx.queryParams().get("token")).orElse("");
        ctx.vertx().executeBlocking(() -> register.confirmEmail(number, token), false).onComplete(outcome -> {
            if (outcome.failed()) {
                ctx.fail(outcome.cause());
            } else if (!outcome.result()) {
                html(ctx, 404, lang, PageText.get(lang, "notFound"), "<p>" + escape(PageText.get(lang, "notFound")) + "</p>");
            } else {
                html(ctx, 200, lang, PageText.get(lang, "emailConfirmed"), "<div class=\"ok\"><p id=\"confirmed\">"
                        + escape(number) + ": " + escape(PageText.get(lang, "emailConfirmedText")) + "</p></div>");
            }
        });
    }

    /** {@code GET /lookup?q=}: is it restricted, by which directive, since when — and the way to appeal. */
    public void lookup(RoutingContext ctx) {
        String lang = PageText.language(ctx.queryParams().get("lang"));
        String query = Optional.ofNullable(ctx.queryParams().get("q")).map(String::strip).orElse("");
        String ask = "<form method=\"get\" action=\"/lookup\"><input type=\"hidden\" name=\"lang\" value=\"" + lang + "\">"
                + "<label for=\"q\">" + escape(PageText.get(lang, "lookupAsk")) + "</label>"
                + "<input id=\"q\" name=\"q\" value=\"" + escape(query) + "\" maxlength=\"2000\" required>"
                + "<button type=\"submit\">" + escape(PageText.get(lang, "lookupButton")) + "</button></form>";
        List<String> keys = query.isEmpty() || query.length() > 2000 ? List.of()
                : TargetKeys.covering(query).stream().map(TargetKeys::sha256).toList();
        if (keys.isEmpty()) {
            html(ctx, query.isEmpty() ? 200 : 400, lang, PageText.get(lang, "lookupTitle"), ask);
            return;
        }
        ctx.vertx().executeBlocking(() -> directives.searchByTarget(null, "ACTIVE", keys, 100, 0), false).onComplete(outcome -> {
            if (outcome.failed()) {
                ctx.fail(outcome.cause());
                return;
            }
            List<StoredDirective> found = outcome.result().stream().filter(d -> d.action() == Action.RESTRICT).toList();
            StringBuilder answer = new StringBuilder("<p id=\"answer\"><strong>").append(escape(PageText.get(lang,
                    found.isEmpty() ? "notRestricted" : "restricted"))).append("</strong></p>");
            for (StoredDirective directive : found) {
                String appeal = "/appeal?lang=" + lang + "&resource=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&directive=" + URLEncoder.encode(directive.number(), StandardCharsets.UTF_8);
                answer.append("<dl>")
                        .append(item(PageText.get(lang, "directive"), "№ " + escape(directive.number()) + " "
                                + escape(PageText.get(lang, "issuedOn")) + " "
                                + directive.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate()))
                        .append(item(PageText.get(lang, "authority"), escape(directive.authorityName())))
                        .append(item(PageText.get(lang, "legalBasis"), escape(directive.legalBasis())))
                        .append(item(PageText.get(lang, "since"), when(directive.receivedAt())))
                        .append("</dl><p><a href=\"").append(escape(appeal)).append("\">")
                        .append(escape(PageText.get(lang, "appealLink"))).append("</a></p>");
            }
            html(ctx, 200, lang, PageText.get(lang, "lookupTitle"), ask + answer);
        });
    }

    private static String form(String lang, MultiMap values, List<String> errors) {
        StringBuilder page = new StringBuilder();
        page.append("<p>").append(escape(PageText.get(lang, "intro"))).append("</p>");
        if (!errors.isEmpty()) {
            page.append("<div class=\"errors\" id=\"errors\"><strong>").append(escape(PageText.get(lang, "errors")))
                    .append("</strong><ul>");
            errors.forEach(error -> page.append("<li>").append(escape(error)).append("</li>"));
            page.append("</ul></div>");
        }
        page.append("<form method=\"post\" action=\"/appeal\" id=\"appeal\">")
                .append("<input type=\"hidden\" name=\"language\" value=\"").append(lang).append("\">")
                .append("<label for=\"kind\">").append(escape(PageText.get(lang, "kind"))).append("</label><select id=\"kind\" name=\"kind\">");
        for (String kind : KINDS) {
            page.append("<option value=\"").append(kind).append("\"").append(kind.equals(values.get("kind")) ? " selected" : "")
                    .append(">").append(escape(PageText.get(lang, kind))).append("</option>");
        }
        page.append("</select><p>").append(escape(PageText.get(lang, "either"))).append("</p>")
                .append("<fieldset><legend>").append(escape(PageText.get(lang, "person"))).append("</legend>")
                .append(input(lang, values, "personName", "text")).append(input(lang, values, "iin", "text"))
                .append("</fieldset><fieldset><legend>").append(escape(PageText.get(lang, "organisation"))).append("</legend>")
                .append(input(lang, values, "organisationName", "text")).append(input(lang, values, "bin", "text"))
                .append(input(lang, values, "representative", "text")).append("</fieldset>")
                .append(input(lang, values, "email", "email")).append(input(lang, values, "resource", "text"))
                .append(input(lang, values, "directiveNumber", "text"))
                .append(textarea(lang, values, "links", 4)).append(textarea(lang, values, "message", 4))
                .append("<button type=\"submit\" id=\"send\">").append(escape(PageText.get(lang, "submit"))).append("</button></form>")
                // A little help where JavaScript runs: no second submission while the first is on its way.
                .append("<script>").append(SCRIPT).append("</script>");
        return page.toString();
    }

    private static String input(String lang, MultiMap values, String name, String type) {
        return "<label for=\"" + name + "\">" + escape(PageText.get(lang, name)) + "</label><input id=\"" + name + "\" name=\""
                + name + "\" type=\"" + type + "\" value=\"" + escape(Optional.ofNullable(values.get(name)).orElse("")) + "\">";
    }

    private static String textarea(String lang, MultiMap values, String name, int rows) {
        return "<label for=\"" + name + "\">" + escape(PageText.get(lang, name)) + "</label><textarea id=\"" + name
                + "\" name=\"" + name + "\" rows=\"" + rows + "\">" + escape(Optional.ofNullable(values.get(name)).orElse(""))
                + "</textarea>";
    }

    private static String item(String term, String description) {
        return "<dt>" + escape(term) + "</dt><dd>" + description + "</dd>";
    }

    private static String label(String lang, String pointer) {
        String field = pointer.replaceFirst("^/", "").replaceFirst("/.*", "");
        return PageText.get(lang, field);
    }

    private static void html(RoutingContext ctx, int status, String lang, String title, String body) {
        String nav = "<nav><a href=\"?lang=kk\">Қазақша</a><a href=\"?lang=ru\">Русский</a><a href=\"?lang=en\">English</a>"
                + "<a href=\"/lookup?lang=" + lang + "\">" + escape(PageText.get(lang, "lookupTitle")) + "</a></nav>";
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end("<!doctype html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                        + "</title><style>" + STYLE + "</style></head><body>" + nav + "<h1>" + escape(title) + "</h1>" + body
                        + "</body></html>");
    }

    private static String when(Instant instant) {
        return WHEN.format(instant.atOffset(WorkingCalendar.ALMATY)) + " (UTC+5)";
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The CSP source of an inline text: 'sha256-' and its digest in base64. */
    private static String sha256(String inline) {
        try {
            return "sha256-" + java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(inline.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
