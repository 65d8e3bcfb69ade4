package kz.qaqpa.gateway.access;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.http.RouteTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the API and the console, called by every kind of caller, gets the status the
 * access rules give: the admin token (automation, every role), an official of each role by its own
 * token, operator A, operator B, the State Technical Service, the registry and a registrar (their own
 * tokens), an appellant (the status token of an appeal, as a bearer token and as {@code ?token=}),
 * anonymous callers, and a reviewer's console session cookie (which opens console pages for its
 * roles and no API route). A second test checks that the table covers every route the router has.
 */
class AuthorisationMatrixTest {

    enum Role {
        AUTHORITY, ISSUER, REVIEWER, RECIPIENT_REGISTRAR, AUDITOR, ADMINISTRATOR, OPERATOR_A, OPERATOR_B,
        STATE_TECHNICAL_SERVICE, REGISTRY, REGISTRAR, APPELLANT, ANONYMOUS, REVIEWER_SESSION;

        /** The officials of one role each, by their own tokens. */
        static final List<Role> OFFICIALS = List.of(ISSUER, REVIEWER, RECIPIENT_REGISTRAR, AUDITOR, ADMINISTRATOR);
    }

    private static final String IIN = "850315400124";
    private static final String BIN = "990740000029";
    private static final String PERSON = "Айгүл Серікқызы";
    private static final String EMAIL = "owner@example.kz";

    @TempDir
    static Path dir;
    private static SigningGateway gateway;
    private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
    private static long directiveId;
    private static String appealNumber;
    private static long suspensionCase;
    private static byte[] signedDirective;
    /** The reviewer's console session cookie: it must open console pages only, never an API route. */
    private static String reviewerSession;

    @BeforeAll
    static void start() throws Exception {
        gateway = new SigningGateway(dir, DeliverySettings.defaults());
        TOKENS.put(Role.AUTHORITY, SigningGateway.ADMIN);
        for (Role role : Role.OFFICIALS) {
            TOKENS.put(role, gateway.official(role.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    OfficialRole.valueOf(role.name())).token());
        }
        gateway.official("spare", OfficialRole.AUDITOR);
        reviewerSession = gateway.signIn(gateway.official("reviewer-in-browser", OfficialRole.REVIEWER));
        TOKENS.put(Role.OPERATOR_A, gateway.register("op-a", "OPERATOR", "WEBHOOK", hook("a")));
        TOKENS.put(Role.OPERATOR_B, gateway.register("op-b", "OPERATOR", "WEBHOOK", hook("b")));
        TOKENS.put(Role.STATE_TECHNICAL_SERVICE, gateway.register("sts", "STATE_TECHNICAL_SERVICE", "WEBHOOK", hook("sts")));
        TOKENS.put(Role.REGISTRY, gateway.register("kaznic", "REGISTRY", "WEBHOOK", hook("kaznic")));
        TOKENS.put(Role.REGISTRAR, gateway.register("hoster", "REGISTRAR", "WEBHOOK", hook("hoster")));
        long suspension = gateway.submit(gateway.security, DirectiveJson.restrict("S-1").domain("phishing.kz", false)
                .suspension("PHISHING")).getLong("id");
        suspensionCase = new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/suspensions", null).body())
                .getJsonArray("cases").stream().map(JsonObject.class::cast)
                .filter(c -> c.getJsonObject("directive").getLong("id") == suspension).findFirst().orElseThrow().getLong("id");
        signedDirective = gateway.pki.signAttached(gateway.signer,
                DirectiveJson.restrict("M-1").domain("casino.kz", true).bytes(), Encoding.DER);
        directiveId = new JsonObject(send(gateway.gateway, "POST", "/api/v1/directives", signedDirective,
                "Content-Type", "application/pkcs7-mime").body()).getLong("id");
        HttpResponse<String> appeal = send(gateway.gateway, "POST", "/api/v1/appeals", new JsonObject()
                .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", PERSON).put("iin", IIN).put("email", EMAIL).put("language", "kk")
                .put("resource", "casino.kz").put("directiveNumber", "M-1")
                .put("links", new JsonArray().add("https://casino.kz/removed")).put("message", "Жойылды.")
                .encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(appeal.statusCode()).as(appeal.body()).isEqualTo(201);
        appealNumber = new JsonObject(appeal.body()).getString("number");
        String link = new JsonObject(appeal.body()).getString("statusLink");
        TOKENS.put(Role.APPELLANT, java.net.URLDecoder.decode(link.substring(link.indexOf("token=") + 6), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** One route, how to call it, and who gets which status. */
    private record Call(String method, String path, String contentType, byte[] body, Map<Role, Set<Integer>> expected) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Stream<Arguments> calls() {
        String a = "/api/v1/appeals/" + "%s";
        List<Call> calls = new ArrayList<>(List.of(
                // The authority's routes: the admin token, nobody else.
                call("GET", "/api/v1/directives").authority(200).roles(Role.ISSUER, Role.REVIEWER, Role.AUDITOR).others(401),
                call("GET", "/api/v1/directives/" + directiveId).authority(200).roles(Role.ISSUER, Role.REVIEWER, Role.AUDITOR).others(401),
                // Once a guard by path suffix let this through to a handler anonymously.
                call("GET", "/api/v1/directives/deliveries").authority(400, 404).roles(Role.ISSUER, Role.REVIEWER, Role.AUDITOR).others(401),
                call("GET", "/api/v1/nodes").authority(200).roles(Role.ISSUER, Role.AUDITOR, Role.ADMINISTRATOR).others(401),
                call("POST", "/api/v1/nodes/n1/key").body("application/x-pem-file", kz.qaqpa.blocklist.model.log.ReceiptKey
                        .loadOrCreate(dir.resolve("node-keys"), "n1").publicKeyPem().getBytes(StandardCharsets.UTF_8)).authority(200).roles(Role.ADMINISTRATOR).others(401),
                call("GET", "/api/v1/audit/verification").authority(200).roles(Role.AUDITOR).others(401),
                call("GET", "/api/v1/operators").authority(200).roles(Role.RECIPIENT_REGISTRAR, Role.ISSUER, Role.AUDITOR).others(401),
                call("GET", "/api/v1/operators/op-a").authority(200).roles(Role.RECIPIENT_REGISTRAR, Role.ISSUER, Role.AUDITOR).others(401),
                call("POST", "/api/v1/operators").json(new JsonObject().put("id", "op-a").put("name", "Again")
                        .put("bin", BIN).put("role", "OPERATOR").put("channel", "WEBHOOK").put("settings", hook("x")))
                        .authority(409).roles(Role.RECIPIENT_REGISTRAR).others(401),
                call("PATCH", "/api/v1/operators/op-b").json(new JsonObject().put("colour", "red")).authority(422, 400).roles(Role.RECIPIENT_REGISTRAR).others(401),
                call("POST", "/api/v1/operators/op-a/key").body("application/x-pem-file", kz.qaqpa.blocklist.model.log.ReceiptKey
                        .loadOrCreate(dir.resolve("recipient-keys"), "op-a").publicKeyPem().getBytes(StandardCharsets.UTF_8)).authority(200)
                        .roles(Role.RECIPIENT_REGISTRAR).others(401),
                call("POST", "/api/v1/calendar/reload").authority(200).roles(Role.ADMINISTRATOR).others(401),
                call("POST", a.formatted(appealNumber) + "/directive").json(new JsonObject().put("directiveNumber", "X"))
                        .authority(409).roles(Role.REVIEWER).others(401),
                call("POST", a.formatted(appealNumber) + "/findings").json(new JsonObject()).authority(400, 422).roles(Role.REVIEWER).others(401),
                call("GET", a.formatted(appealNumber) + "/attachments/1").authority(200, 404).roles(Role.REVIEWER, Role.AUDITOR).others(401),
                // Evidence: the token holder's own appeal only; the authority reads, it does not attach.
                call("POST", a.formatted(appealNumber) + "/attachments?name=proof.pdf")
                        .body("application/pdf", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.UTF_8))
                        .authority(403).appellant(201).recipients(404).others(401),
                call("POST", a.formatted(appealNumber) + "/violations").json(new JsonObject()).authority(200, 409).roles(Role.REVIEWER).others(401),
                call("POST", a.formatted(appealNumber) + "/decision").json(new JsonObject()).authority(400, 409, 422).roles(Role.REVIEWER).others(401),
                call("GET", a.formatted(appealNumber) + "/order").authority(409).roles(Role.REVIEWER, Role.AUDITOR).others(401),
                // A signed directive authenticates itself: the same bytes again are 200 from anyone.
                call("POST", "/api/v1/directives").body("application/pkcs7-mime", signedDirective).everyone(200),
                // Recipients: each its own, the authority all; the admin token may not acknowledge.
                call("GET", "/api/v1/directives/" + directiveId + "/deliveries").authority(200)
                        .roles(Role.ISSUER, Role.REVIEWER, Role.AUDITOR).recipients(200)
                        .registries(404).others(401),
                call("POST", "/api/v1/acks").json(new JsonObject().put("directiveId", directiveId).put("status", "ENFORCED")
                        .put("at", "2026-11-23T10:00:00+05:00")).authority(403).recipients(200, 201)
                        .registries(404).others(401), // M-1 suspends no name: nothing went to the registry or a registrar
                // Domain-name suspension: the authority and the registry every case, a registrar its own
                // (this one is with none yet), nobody else; steps are the registry's and the registrar's.
                call("GET", "/api/v1/suspensions").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(403).registries(200).others(401),
                call("GET", "/api/v1/suspensions/" + suspensionCase).authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(404)
                        .set(Set.of(200), Role.REGISTRY).others(401),
                call("POST", "/api/v1/suspensions/" + suspensionCase + "/steps").json(new JsonObject().put("step", "RESTORED"))
                        .authority(403).recipients(404).set(Set.of(409), Role.REGISTRY).set(Set.of(404), Role.REGISTRAR)
                        .others(401),
                call("POST", "/api/v1/suspensions/" + suspensionCase + "/registrar").json(new JsonObject()
                        .put("registrar", "op-a")).authority(409).roles(Role.ISSUER).recipients(404).set(Set.of(409), Role.REGISTRY)
                        .set(Set.of(404), Role.REGISTRAR).others(401),
                // A receipt is a recipient's own statement: the admin token may not post one; a recipient's
                // is judged by its own key (none registered: 409; op-a's, registered above: this one is no signature, 422).
                call("POST", "/api/v1/receipts").json(new JsonObject().put("receipt", "e30=").put("signature", "AA=="))
                        .authority(403).recipients(409, 422).others(401),
                call("GET", "/api/v1/blocklist").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/blocklist/changes?since=0").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/blocklist/manifest").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/blocklist/manifest.p7s").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                // The list's Merkle log: the leaves name targets; heads and proofs are hashes, public too.
                call("GET", "/api/v1/log/sth").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/log/consistency?first=0&second=1").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/log/inclusion?serial=1&size=1").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/api/v1/log/leaves?from=1&to=1").authority(200).roles(Role.ISSUER, Role.AUDITOR).recipients(200).others(401),
                call("GET", "/public/v1/log/sth").everyone(200),
                call("GET", "/public/v1/log/consistency?first=0&second=1").everyone(200),
                call("GET", "/public/v1/log/inclusion?serial=1&size=1").everyone(200),
                // An appeal's status: its token holder and the authority.
                // (a recipient's token is taken as a status token that fits no appeal)
                call("GET", a.formatted(appealNumber)).authority(200).roles(Role.REVIEWER, Role.AUDITOR).appellant(200).recipients(404).others(401),
                // Everyone.
                call("POST", "/api/v1/appeals").json(new JsonObject()).everyone(422),
                call("GET", "/public/v1/lookup?q=casino.kz").everyone(200),
                call("GET", "/public/v1/directives/M-1").everyone(200),
                call("GET", "/api/v1/openapi.json").everyone(200),
                call("GET", "/api/v1/calendar/2026").everyone(200),
                call("GET", "/api/v1/calendar/deadline?registeredAt=2026-11-23T10:00:00%2B05:00&workingDays=15").everyone(200),
                call("GET", "/health/live").everyone(200),
                call("GET", "/health/ready").everyone(200),
                call("GET", "/metrics").authority(200).roles(Role.AUDITOR, Role.ADMINISTRATOR).others(401),
                call("GET", "/appeal").everyone(200),
                call("POST", "/appeal").body("application/x-www-form-urlencoded", "lang=en".getBytes(StandardCharsets.UTF_8))
                        .everyone(200, 400, 422),
                call("GET", "/lookup?q=casino.kz").everyone(200),
                // The status page answers only with the appeal's token in its link.
                call("GET", "/appeal/status/" + appealNumber).appellant(200).everyoneElse(404),
                // The status page's upload: the status token in the link; without a file nothing is looked up.
                call("POST", "/appeal/attach/" + appealNumber).everyone(422),
                // Only the token mailed to the appellant's address confirms it; no other token does.
                call("GET", "/appeal/confirm/" + appealNumber + "?token=guess").everyone(404),
                // Officials' accounts: the administrator keeps them (on a spare account, so that the
                // officials of this test keep theirs), the auditor reads them; and the access log.
                call("GET", "/api/v1/officials").authority(200).roles(Role.ADMINISTRATOR, Role.AUDITOR).others(401),
                call("POST", "/api/v1/officials").json(new JsonObject().put("name", "x")).authority(400, 422)
                        .roles(Role.ADMINISTRATOR).others(401),
                call("PATCH", "/api/v1/officials/spare").json(new JsonObject().put("roles", new JsonArray().add("AUDITOR")))
                        .authority(200).roles(Role.ADMINISTRATOR).others(401),
                call("POST", "/api/v1/officials/spare/credentials").json(new JsonObject().put("password", "short"))
                        .authority(422).roles(Role.ADMINISTRATOR).others(401),
                call("POST", "/api/v1/officials/nobody/token").authority(404).roles(Role.ADMINISTRATOR).others(401),
                call("GET", "/api/v1/audit/records?limit=5").authority(200).roles(Role.AUDITOR).others(401),
                // The console: its sign-in for everyone; its pages by a session (a token opens none of
                // them: the browser is sent to sign in), each for its roles; a post needs the session's
                // CSRF token (this one is sent without).
                call("GET", "/console/signin").everyone(200),
                call("GET", "/console/signin/certificate").everyone(401),
                call("POST", "/console/signin").body("application/x-www-form-urlencoded",
                        "name=nobody&password=guess&code=000000".getBytes(StandardCharsets.UTF_8)).everyone(401),
                call("GET", "/console").set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/account").set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/account/password").body("application/x-www-form-urlencoded", "current=x&password=y"
                        .getBytes(StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/account/token").body("application/x-www-form-urlencoded", new byte[0])
                        .set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/officials").set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/officials").body("application/x-www-form-urlencoded", "name=x".getBytes(
                        StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/officials/spare").body("application/x-www-form-urlencoded", "role=AUDITOR".getBytes(
                        StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/officials/spare/credentials").body("application/x-www-form-urlencoded",
                        new byte[0]).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/audit").set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/audit/export?format=csv").set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/signout").body("application/x-www-form-urlencoded", new byte[0])
                        .set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                // A recipient's own page: its token; officials and the admin token are no recipient.
                call("GET", "/operator").authority(403).recipients(200).others(401),
                // The register of recipients in the console: not the reviewer's.
                call("GET", "/console/recipients").set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/recipients").body("application/x-www-form-urlencoded", "id=x".getBytes(
                        StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/recipients/op-a").body("application/x-www-form-urlencoded", "active=false".getBytes(
                        StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                // Directives in the console: the list, one, its signed original.
                call("GET", "/console/directives").set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/directives/" + directiveId).set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/directives/" + directiveId + "/signed").set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                // The reviewer's pages: the queue and an appeal for the session; the order and the RESTORE
                // only once removal is confirmed (409 here); every step a form with the CSRF token.
                call("GET", "/console/appeals").set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/appeals/" + appealNumber).set(Set.of(200), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/appeals/" + appealNumber + "/restore").set(Set.of(409), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/appeals/" + appealNumber + "/order.pdf").set(Set.of(409), Role.REVIEWER_SESSION).others(303),
                call("GET", "/console/appeals/" + appealNumber + "/attachments/1").set(Set.of(200, 404), Role.REVIEWER_SESSION)
                        .others(303),
                call("POST", "/console/appeals/" + appealNumber + "/findings").body("application/x-www-form-urlencoded",
                        "link-0=x&removed-0=yes".getBytes(StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/appeals/" + appealNumber + "/violations").body("application/x-www-form-urlencoded",
                        new byte[0]).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/appeals/" + appealNumber + "/decision").body("application/x-www-form-urlencoded",
                        "decision=REFUSED&reasons=x".getBytes(StandardCharsets.UTF_8)).set(Set.of(403), Role.REVIEWER_SESSION).others(303),
                call("POST", "/console/appeals/" + appealNumber + "/restore").body("application/x-www-form-urlencoded",
                        new byte[0]).set(Set.of(403), Role.REVIEWER_SESSION).others(303)));
        return calls.stream().flatMap(c -> Arrays.stream(Role.values()).map(role -> Arguments.of(c, role)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("calls")
    void everyRouteAnswersEveryRoleAsTheRulesSay(Call call, Role role) throws Exception {
        HttpResponse<String> response = as(role, call);
        assertThat(response.statusCode()).as("%s as %s: %s", call, role, response.body())
                .isIn(call.expected().get(role));
    }

    @Test
    void theMatrixCoversEveryRouteOfTheRouter() {
        Set<String> covered = calls().map(arguments -> (Call) arguments.get()[0])
                .map(call -> call.method() + " " + call.path().replaceAll("\\?.*", ""))
                .collect(Collectors.toSet());
        for (RouteTable.Entry route : gateway.gateway.api().routes().entries()) {
            assertThat(covered.stream().anyMatch(c -> c.startsWith(route.method() + " ")
                    && route.pattern().matcher(c.substring(c.indexOf(' ') + 1)).matches()))
                    .as("%s %s is in the matrix", route.method(), route.template()).isTrue();
        }
    }

    @Test
    void operatorASeesOnlyItsOwnDeliveriesAndNeverB() throws Exception {
        String path = "/api/v1/directives/" + directiveId + "/deliveries";
        JsonArray forA = new JsonObject(as(Role.OPERATOR_A, call("GET", path).everyone(200)).body()).getJsonArray("deliveries");
        JsonArray forAll = new JsonObject(as(Role.AUTHORITY, call("GET", path).everyone(200)).body()).getJsonArray("deliveries");
        assertThat(forAll.stream().map(d -> ((JsonObject) d).getString("recipient"))).contains("op-a", "op-b", "sts");
        assertThat(forA.stream().map(d -> ((JsonObject) d).getString("recipient"))).containsOnly("op-a");
        assertThat(forA.encode()).doesNotContain("op-b");
    }

    @Test
    void publicAnswersNeverShowTheAppellant() throws Exception {
        for (String path : List.of("/public/v1/lookup?q=casino.kz", "/lookup?q=casino.kz",
                "/appeal/status/" + appealNumber, "/api/v1/appeals/" + appealNumber)) {
            String body = as(Role.ANONYMOUS, call("GET", path).everyone(200)).body();
            assertThat(body).as(path).doesNotContain(IIN).doesNotContain(PERSON).doesNotContain(EMAIL)
                    .doesNotContain(TOKENS.get(Role.APPELLANT));
        }
        assertThat(as(Role.AUTHORITY, call("GET", "/metrics").authority(200).others(401)).body()).as("metrics")
                .doesNotContain(IIN).doesNotContain(PERSON).doesNotContain(EMAIL).doesNotContain(TOKENS.get(Role.APPELLANT));
        assertThat(as(Role.ANONYMOUS, call("GET", "/public/v1/lookup?q=casino.kz").everyone(200)).body())
                .as("the look-up names the directive").contains("M-1");
    }

    private static HttpResponse<String> as(Role role, Call call) throws Exception {
        String path = call.path();
        List<String> headers = new ArrayList<>();
        if (call.contentType() != null) {
            headers.addAll(List.of("Content-Type", call.contentType()));
        }
        if (role == Role.REVIEWER_SESSION) {
            headers.addAll(List.of("Cookie", reviewerSession));
        } else if (role != Role.ANONYMOUS) {
            headers.addAll(List.of("Authorization", "Bearer " + TOKENS.get(role)));
        }
        if (role == Role.APPELLANT && (path.startsWith("/api/v1/appeals/" + appealNumber) || path.startsWith("/appeal/status/"))
                && !path.contains("/findings") && !path.contains("/decision") && !path.contains("/order")) {
            path += (path.contains("?") ? "&" : "?") + "token="
                    + java.net.URLEncoder.encode(TOKENS.get(Role.APPELLANT), StandardCharsets.UTF_8);
        }
        return send(gateway.gateway, call.method(), path, call.body() == null ? new byte[0] : call.body(),
                headers.toArray(String[]::new));
    }

    private static JsonObject hook(String name) {
        return new JsonObject().put("url", "http://127.0.0.1:9/" + name);
    }

    private static CallBuilder call(String method, String path) {
        return new CallBuilder(method, path);
    }

    /** Builds a row: the request, then the statuses by role; roles not named get what {@code others} says. */
    private static final class CallBuilder {
        private final String method;
        private final String path;
        private String contentType;
        private byte[] body;
        private final Map<Role, Set<Integer>> expected = new EnumMap<>(Role.class);

        CallBuilder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        CallBuilder json(JsonObject json) {
            return body("application/json", json.encode().getBytes(StandardCharsets.UTF_8));
        }

        CallBuilder body(String type, byte[] bytes) {
            this.contentType = type;
            this.body = bytes;
            return this;
        }

        CallBuilder authority(Integer... statuses) {
            return set(Set.of(statuses), Role.AUTHORITY);
        }

        /** Every recipient: operators, the State Technical Service, the registry and the registrar (unless set apart). */
        CallBuilder recipients(Integer... statuses) {
            for (Role role : List.of(Role.REGISTRY, Role.REGISTRAR)) {
                expected.putIfAbsent(role, Set.of(statuses));
            }
            return set(Set.of(statuses), Role.OPERATOR_A, Role.OPERATOR_B, Role.STATE_TECHNICAL_SERVICE);
        }

        /** The registry and the registrar, where they differ from the other recipients. */
        CallBuilder registries(Integer... statuses) {
            return set(Set.of(statuses), Role.REGISTRY, Role.REGISTRAR);
        }

        CallBuilder appellant(Integer... statuses) {
            return set(Set.of(statuses), Role.APPELLANT);
        }

        /**
         * Only officials with these roles get what the admin token gets; the others are refused
         * (403). Without it, every official gets what the admin token gets.
         */
        CallBuilder roles(Role... allowed) {
            for (Role official : Role.OFFICIALS) {
                expected.put(official, List.of(allowed).contains(official) ? expected.get(Role.AUTHORITY) : Set.of(403));
            }
            return this;
        }

        Call others(Integer... statuses) {
            if (expected.containsKey(Role.AUTHORITY)) {
                for (Role official : Role.OFFICIALS) {
                    expected.putIfAbsent(official, expected.get(Role.AUTHORITY));
                }
            }
            for (Role role : Role.values()) {
                expected.putIfAbsent(role, Set.of(statuses));
            }
            return new Call(method, path, contentType, body, Map.copyOf(expected));
        }

        Call everyoneElse(Integer... statuses) {
            return others(statuses);
        }

        Call everyone(Integer... statuses) {
            expected.clear();
            return others(statuses);
        }

        CallBuilder set(Set<Integer> statuses, Role... roles) {
            for (Role role : roles) {
                expected.put(role, statuses);
            }
            return this;
        }
    }
}
