package kz.qaqpa.gateway.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.OfficialSessions;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.text.Texts;
import kz.qaqpa.gateway.audit.AuditHandlers;
import kz.qaqpa.gateway.http.Authentication;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.HtmlPages;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ClientCertificates;
import kz.qaqpa.gateway.http.RouteTable;
import kz.qaqpa.gateway.http.SameOrigin;

/**
 * The console of the authorised body's officials: server-rendered pages in Kazakh, Russian and
 * English, every form usable without JavaScript. An official signs in with a password and a
 * one-time code (or with a client certificate of the authority's CA naming it) and gets a session:
 * an HttpOnly, SameSite=Strict cookie (Secure, and {@code __Host-} named, over HTTPS) that opens
 * console pages only, never an API route. Every form carries the session's token against
 * cross-site request forgery and is refused without it; a post from another site is refused before
 * its body is read ({@link SameOrigin}). Each page is for the roles whose work it shows.
 */
public final class Console {

    /** The words of the pages, one file per language. */
    static final String BUNDLE = "kz.qaqpa.gateway.console.console";
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);
    private static final String COOKIE = "qaqpa-console";
    private static final String SECURE_COOKIE = "__Host-qaqpa-console";
    private static final String SESSION_KEY = "qaqpa.console.session";
    /** A signed RESTORE with its order is tens of kilobytes; far more is not one. */
    private static final int SIGNED_LIMIT = 1024 * 1024;
    /** A form is a few hundred bytes; an account's form with a long name is under this. */
    private static final int FORM_LIMIT = 16 * 1024;
    static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;line-height:1.4}header{background:#0b3d5c;color:#fff;\
            padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}header a{color:#fff}main{padding:1rem;\
            max-width:72rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;\
            text-align:left;vertical-align:top}.error{background:#fde8e8;padding:.6rem 1rem;border-left:4px solid #c00}.ok{background:\
            #e8f6ea;padding:.6rem 1rem;border-left:4px solid #2a7}label{display:block;margin:.5rem 0 .2rem}input,select{padding:.35rem}\
            .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccc;padding:.6rem 1rem;min-width:10rem}.card b{font-size:\
            1.6rem;display:block}.overdue{color:#b00;font-weight:600}svg text{font-size:11px}form.inline{display:inline}\
            pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem}""";
    /** Only the console's own style, no script at all; forms post only here; no framing. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-"
            + java.util.Base64.getEncoder().encodeToString(sha256(STYLE)) + "'; img-src 'self'; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";

    private final Officials officials;
    private final OfficialSessions sessions;
    private final ClientCertificates certificates;
    private final ConsoleData data;
    private final ConsoleAppeals appeals;
    private final ConsoleDirectives directives;
    private final ConsoleRecipients recipients;
    private final OperatorPage operators;
    private final java.nio.file.Path uploads;

    /**
     * @param uploads where a signed RESTORE waits while it is read (the data directory's private
     *                {@code uploads}); removed when the request is answered
     */
    public Console(Officials officials, OfficialSessions sessions, ClientCertificates certificates, ConsoleData data,
                   ConsoleAppeals appeals, ConsoleDirectives directives, ConsoleRecipients recipients,
                   OperatorPage operators, java.nio.file.Path uploads) {
        this.operators = operators;
        this.recipients = recipients;
        this.appeals = appeals;
        this.directives = directives;
        this.uploads = uploads;
        this.officials = officials;
        this.sessions = sessions;
        this.certificates = certificates;
        this.data = data;
    }

    /**
     * The console's routes: sign-in open (limited by {@code signInLimit}), every other page behind a
     * session; and a recipient's own page behind {@code recipients}, the API's guard for recipients.
     */
    public void install(RouteTable routes, Handler<RoutingContext> signInLimit, Handler<RoutingContext> recipientsGuard) {
        SameOrigin sameOrigin = new SameOrigin();
        RouteTable.Group open = routes.group();
        open.get("/console/signin", ctx -> signInPage(ctx, 200, Optional.empty()))
                .get("/console/signin/certificate", this::signInByCertificate);
        open.limitedBy(signInLimit, sameOrigin).body(FORM_LIMIT).post("/console/signin", this::signIn);
        RouteTable.Group forms = open.limitedBy(sameOrigin).body(FORM_LIMIT);
        forms.guardedBy(signedIn(EnumSet.allOf(OfficialRole.class))).post("/console/signout", this::signOut);
        open.guardedBy(signedIn(EnumSet.allOf(OfficialRole.class))).get("/console", this::today);
        open.guardedBy(recipientsGuard).get("/operator", operators::show);
        // Every official's own account: its password, its API token.
        open.guardedBy(signedIn(EnumSet.allOf(OfficialRole.class))).get("/console/account",
                ctx -> accountPage(ctx, 200, "", "", ""));
        forms.guardedBy(signedIn(EnumSet.allOf(OfficialRole.class))).post("/console/account/password", this::changePassword)
                .post("/console/account/token", this::ownToken);
        open.guardedBy(signedIn(EnumSet.of(OfficialRole.ADMINISTRATOR, OfficialRole.AUDITOR)))
                .get("/console/officials", ctx -> officialsPage(ctx, 200, Map.of()));
        forms.guardedBy(signedIn(EnumSet.of(OfficialRole.ADMINISTRATOR))).post("/console/officials", this::addOfficial)
                .post("/console/officials/:name", this::changeOfficial)
                .post("/console/officials/:name/credentials", this::resetOfficial);
        open.guardedBy(signedIn(EnumSet.of(OfficialRole.AUDITOR))).get("/console/audit", this::auditPage)
                .get("/console/audit/export", this::auditExport);
        // The register of recipients: its registrar changes it; the issuer and the auditor read it.
        open.guardedBy(signedIn(EnumSet.of(OfficialRole.RECIPIENT_REGISTRAR, OfficialRole.ISSUER, OfficialRole.AUDITOR)))
                .get("/console/recipients", recipients::list);
        forms.guardedBy(signedIn(EnumSet.of(OfficialRole.RECIPIENT_REGISTRAR))).post("/console/recipients", recipients::register)
                .post("/console/recipients/:id", recipients::change);
        // Directives and their fate: the issuer's, the reviewer's (an appeal's directive), the auditor's.
        open.guardedBy(signedIn(EnumSet.of(OfficialRole.ISSUER, OfficialRole.REVIEWER, OfficialRole.AUDITOR)))
                .get("/console/directives", directives::latest)
                .get("/console/directives/:id", directives::show)
                .get("/console/directives/:id/signed", directives::signed);
        // The reviewer's work; the auditor reads it. Every view of an appeal is in the access log.
        open.guardedBy(signedIn(EnumSet.of(OfficialRole.REVIEWER, OfficialRole.AUDITOR)))
                .get("/console/appeals", appeals::queue)
                .get("/console/appeals/:number", appeals::show)
                .get("/console/appeals/:number/restore", appeals::restoreDraft)
                .get("/console/appeals/:number/order.pdf", appeals::orderPdf)
                .get("/console/appeals/:number/attachments/:id", appeals::attachment);
        RouteTable.Group reviewing = forms.guardedBy(signedIn(EnumSet.of(OfficialRole.REVIEWER)));
        reviewing.post("/console/appeals/:number/findings", appeals::findings)
                .post("/console/appeals/:number/violations", appeals::violations)
                .post("/console/appeals/:number/decision", appeals::decision);
        open.limitedBy(sameOrigin).uploads(SIGNED_LIMIT, uploads).guardedBy(signedIn(EnumSet.of(OfficialRole.REVIEWER)))
                .post("/console/appeals/:number/restore", appeals::submitSigned);
    }

    // --- sessions -------------------------------------------------------------------------------

    /**
     * The guard of a console page: a live session whose official has one of {@code roles}, and on a
     * post the session's CSRF token in the form. Without a session: to the sign-in page. The
     * official is admitted as the API's guards admit one ({@link Caller#of}, {@link Caller#actor}).
     */
    private Handler<RoutingContext> signedIn(Set<OfficialRole> roles) {
        return ctx -> {
            Optional<String> cookie = sessionCookie(ctx);
            if (cookie.isEmpty()) {
                redirect(ctx, "/console/signin");
                return;
            }
            Blocking.answer(ctx, () -> sessions.resume(cookie.get()), session -> {
                if (session.isEmpty()) {
                    clearCookie(ctx);
                    redirect(ctx, "/console/signin?expired=1");
                    return;
                }
                OfficialSessions.Session live = session.get();
                if (live.official().roles().stream().noneMatch(roles::contains)) {
                    message(ctx, 403, texts(ctx), "forbidden");
                    return;
                }
                if (ctx.request().method() == HttpMethod.POST && !sameToken(ctx.request().getFormAttribute("csrf"),
                        live.csrfToken())) {
                    message(ctx, 403, texts(ctx), "csrf");
                    return;
                }
                ctx.put(SESSION_KEY, live);
                Authentication.admit(ctx, new Caller.Official(live.official().name(), live.official().roles()));
                ctx.next();
            });
        };
    }

    private void signIn(RoutingContext ctx) {
        String name = Optional.ofNullable(ctx.request().getFormAttribute("name")).orElse("").strip();
        char[] password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("").toCharArray();
        String code = ctx.request().getFormAttribute("code");
        String address = address(ctx);
        Blocking.answer(ctx, () -> {
            Officials.SignIn result = officials.signIn(name, password, code, address);
            return result instanceof Officials.SignIn.Admitted admitted
                    ? Optional.of(sessions.open(admitted.official(), address)) : Optional.<OfficialSessions.Opened>empty();
        }, opened -> {
            if (opened.isEmpty()) {
                // The same words whatever was wrong: nothing to learn about names or which part failed.
                signInPage(ctx, 401, Optional.of("refused"));
                return;
            }
            setCookie(ctx, opened.get().cookie());
            redirect(ctx, "/console");
        });
    }

    /** Signs in the official a client certificate of the authority's CA names (its subject CN). */
    private void signInByCertificate(RoutingContext ctx) {
        Optional<String> named = certificates.authoritySubject(ctx);
        if (named.isEmpty()) {
            signInPage(ctx, 401, Optional.of("noCertificate"));
            return;
        }
        String address = address(ctx);
        Blocking.answer(ctx, () -> officials.find(named.get()).filter(o -> !o.disabled()).map(official -> {
            data.record(new Actor(official.name(), address).entry("SIGN_IN", "signed in with a client certificate"));
            return sessions.open(official, address);
        }), opened -> {
            if (opened.isEmpty()) {
                signInPage(ctx, 401, Optional.of("refused"));
                return;
            }
            setCookie(ctx, opened.get().cookie());
            redirect(ctx, "/console");
        });
    }

    private void signOut(RoutingContext ctx) {
        String cookie = sessionCookie(ctx).orElseThrow();
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            sessions.close(cookie, actor);
            return true;
        }, done -> {
            clearCookie(ctx);
            redirect(ctx, "/console/signin");
        });
    }

    private void signInPage(RoutingContext ctx, int status, Optional<String> error) {
        Texts t = texts(ctx);
        Optional<String> shown = error.or(() -> ctx.queryParams().contains("expired") ? Optional.of("expired") : Optional.empty());
        page(ctx, status, "signin", Map.of("t", t, "error", shown.map(t::get).orElse(""),
                "certificate", certificates.authoritySubject(ctx).isPresent()));
    }

    // --- pages ----------------------------------------------------------------------------------

    private void today(RoutingContext ctx) {
        OfficialSessions.Session session = ctx.get(SESSION_KEY);
        Texts t = texts(ctx);
        Blocking.answer(ctx, data::today, today -> page(ctx, 200, "today", Map.of("t", t, "s", session, "today", today,
                "perDay", Charts.bars(today.directivesPerDay(), t.get("chart.directivesPerDay"),
                        day -> day.substring(8, 10) + "." + day.substring(5, 7)),
                "appeals", Charts.bars(today.appealsByDaysLeft(), t.get("chart.appealsByDaysLeft"),
                        bucket -> t.get("days." + bucket)),
                "outcomes", Charts.bars(today.appealsByOutcome(), t.get("chart.appealsByOutcome"), status -> status),
                "latency", latencyCharts(today, t),
                "lag", Charts.bars(today.nodeLag(), t.get("chart.nodeLag"), node -> node))));
    }

    /** One small chart per recipient: its median acknowledgement time, in seconds, week by week. */
    private static List<Charts.Chart> latencyCharts(ConsoleData.Today today, Texts t) {
        List<Charts.Chart> charts = new java.util.ArrayList<>();
        today.latencyByWeek().forEach((recipient, weeks) -> charts.add(Charts.bars(weeks,
                t.get("chart.latencyByWeek") + " " + recipient, week -> week.substring(8, 10) + "." + week.substring(5, 7))));
        return charts;
    }

    private void officialsPage(RoutingContext ctx, int status, Map<String, Object> extra) {
        OfficialSessions.Session session = ctx.get(SESSION_KEY);
        Blocking.answer(ctx, officials::list, all -> {
            Map<String, Object> parameters = new HashMap<>(Map.of("t", texts(ctx), "s", session, "officials", all,
                    "roles", List.of(OfficialRole.values()), "enrolment", Optional.empty(), "error", "", "done", ""));
            parameters.putAll(extra);
            page(ctx, status, "officials", parameters);
        });
    }

    private void addOfficial(RoutingContext ctx) {
        String name = Optional.ofNullable(ctx.request().getFormAttribute("name")).orElse("").strip();
        String displayName = Optional.ofNullable(ctx.request().getFormAttribute("displayName")).orElse("").strip();
        char[] password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("").toCharArray();
        Set<OfficialRole> roles = roles(ctx);
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            try {
                return Map.<String, Object>of("enrolment", Optional.of(officials.add(name, displayName, roles, password, actor)));
            } catch (Officials.RefusedChangeException e) {
                return Map.<String, Object>of("error", e.getMessage());
            }
        }, outcome -> officialsPage(ctx, outcome.containsKey("error") ? 422 : 201, outcome));
    }

    private void accountPage(RoutingContext ctx, int status, String error, String done, String token) {
        page(ctx, status, "account", Map.of("t", texts(ctx), "s", session(ctx), "error", error, "done", done, "token", token));
    }

    /** The official's own new password, given the current one. */
    private void changePassword(RoutingContext ctx) {
        char[] current = Optional.ofNullable(ctx.request().getFormAttribute("current")).orElse("").toCharArray();
        char[] replacement = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("").toCharArray();
        Actor actor = Caller.actor(ctx);
        Texts t = texts(ctx);
        Blocking.answer(ctx, () -> {
            try {
                officials.changePassword(actor.name(), current, replacement, actor);
                return Optional.<String>empty();
            } catch (Officials.RefusedChangeException e) {
                return Optional.of(e.getMessage());
            }
        }, refused -> accountPage(ctx, refused.isPresent() ? 422 : 200, refused.orElse(""),
                refused.isPresent() ? "" : t.get("passwordChanged"), ""));
    }

    /** A new API token for the official itself (the previous one stops working), shown once. */
    private void ownToken(RoutingContext ctx) {
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> officials.issueToken(actor.name(), actor),
                token -> accountPage(ctx, 200, "", texts(ctx).get("tokenIssued"), token));
    }

    /** The administrator's row form: the roles ticked, and whether the account is disabled. */
    private void changeOfficial(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Set<OfficialRole> roles = roles(ctx);
        boolean disabled = "on".equals(ctx.request().getFormAttribute("disabled"));
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            try {
                officials.change(name, Optional.of(roles), Optional.of(disabled), actor);
                return Map.<String, Object>of("done", texts(ctx).get("changed") + " " + name);
            } catch (Officials.RefusedChangeException e) {
                return Map.<String, Object>of("error", e.getMessage());
            }
        }, outcome -> officialsPage(ctx, outcome.containsKey("error") ? 422 : 200, outcome));
    }

    /** A new password and code secret for an official (a forgotten password, a lost phone); the secret shown once. */
    private void resetOfficial(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        char[] password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("").toCharArray();
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            try {
                return Map.<String, Object>of("enrolment", Optional.of(officials.resetCredentials(name, password, actor)));
            } catch (Officials.RefusedChangeException e) {
                return Map.<String, Object>of("error", e.getMessage());
            }
        }, outcome -> officialsPage(ctx, outcome.containsKey("error") ? 422 : 200, outcome));
    }

    private static Set<OfficialRole> roles(RoutingContext ctx) {
        Set<OfficialRole> roles = EnumSet.noneOf(OfficialRole.class);
        for (String role : ctx.request().formAttributes().getAll("role")) {
            try {
                roles.add(OfficialRole.named(role));
            } catch (IllegalArgumentException e) {
                // an unknown role is not offered; ignored like an unticked box
            }
        }
        return roles;
    }

    private void auditPage(RoutingContext ctx) {
        OfficialSessions.Session session = ctx.get(SESSION_KEY);
        AuditLog.Filter filter = AuditHandlers.filter(ctx);
        Blocking.answer(ctx, () -> data.audit(filter), records -> page(ctx, 200, "audit", Map.of("t", texts(ctx),
                "s", session, "records", records, "filter", filter, "query", Optional.ofNullable(ctx.request().query()).orElse(""))));
    }

    /** The filtered records to download, as CSV ({@code format=csv}) or JSON. */
    private void auditExport(RoutingContext ctx) {
        AuditLog.Filter filter = AuditHandlers.filter(ctx);
        boolean csv = "csv".equals(ctx.queryParams().get("format"));
        Blocking.answer(ctx, () -> data.audit(filter), records -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("Content-Disposition",
                    "attachment; filename=\"qaqpa-audit." + (csv ? "csv" : "json") + "\"");
            if (csv) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8").end(AuditHandlers.csv(records));
            } else {
                io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
                records.forEach(record -> list.add(AuditHandlers.json(record)));
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(new io.vertx.core.json.JsonObject().put("records", list).encode());
            }
        });
    }

    // --- plumbing -------------------------------------------------------------------------------

    static Texts texts(RoutingContext ctx) {
        return Texts.of(BUNDLE, Texts.language(ctx.queryParams().get("lang")));
    }

    /** The session a page's guard let on. */
    static OfficialSessions.Session session(RoutingContext ctx) {
        return ctx.get(SESSION_KEY);
    }

    private static void message(RoutingContext ctx, int status, Texts t, String key) {
        page(ctx, status, "message", Map.of("t", t, "text", t.get(key)));
    }

    /** Renders {@code console/NAME.jte}: every value escaped, the console's own style the only one allowed. */
    static void page(RoutingContext ctx, int status, String name, Map<String, Object> parameters) {
        Map<String, Object> all = new HashMap<>(parameters);
        all.put("style", STYLE);
        StringOutput html = new StringOutput();
        TEMPLATES.render("console/" + name + ".jte", all, html);
        HtmlPages.answer(ctx, status, html.toString(), CONTENT_SECURITY_POLICY);
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, to).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end();
    }

    private static Optional<String> sessionCookie(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(ctx.request().isSSL() ? SECURE_COOKIE : COOKIE);
        return Optional.ofNullable(cookie).map(Cookie::getValue).filter(value -> !value.isBlank());
    }

    /** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over HTTPS. */
    private static void setCookie(RoutingContext ctx, String value) {
        boolean tls = ctx.request().isSSL();
        ctx.response().addCookie(Cookie.cookie(tls ? SECURE_COOKIE : COOKIE, value).setPath(tls ? "/" : "/console")
                .setHttpOnly(true).setSecure(tls).setSameSite(CookieSameSite.STRICT));
    }

    private static void clearCookie(RoutingContext ctx) {
        boolean tls = ctx.request().isSSL();
        ctx.response().addCookie(Cookie.cookie(tls ? SECURE_COOKIE : COOKIE, "").setPath(tls ? "/" : "/console")
                .setHttpOnly(true).setSecure(tls).setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    private static byte[] sha256(String text) {
        return java.util.HexFormat.of().parseHex(Sha256.hex(text));
    }
}
