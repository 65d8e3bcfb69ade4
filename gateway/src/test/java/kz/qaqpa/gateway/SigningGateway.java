package kz.qaqpa.gateway;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.HttpSecurity;
import kz.qaqpa.gateway.config.SuspensionSettings;
import kz.qaqpa.gateway.config.TrustFiles;

/**
 * A gateway on embedded H2 that trusts an authority made by openssl, with an admin token: submit
 * signed directives, register recipients, call the API as the authority or as a recipient.
 */
public final class SigningGateway implements AutoCloseable {

    public static final String ADMIN = "test-admin-token-0123456789abcdef";

    /** A WHOIS server no test gateway reaches out to the registry's for: the discard port on loopback, refused. */
    public static final SuspensionSettings NO_WHOIS = SuspensionSettings.defaults().withWhois("127.0.0.1", 9);

    public final OpenSslPki pki;
    /** The content authority's signer: restrictions and restorations. */
    public final Signer signer;
    /** The authority for information security's signer (seed 000 §2(1)): domain suspensions only. */
    public final Signer security;
    public final Gateway gateway;

    public SigningGateway(Path dir, DeliverySettings delivery) throws Exception {
        this(dir, delivery, FeedSettings.onAnyPort());
    }

    public SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed) throws Exception {
        this(dir, delivery, feed, AppealSettings.defaults());
    }

    public SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed, AppealSettings appeals) throws Exception {
        this(dir, delivery, feed, appeals, FilterNodeSettings.disabled());
    }

    /** With an in-process filtering node as well. */
    public SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed, AppealSettings appeals,
                          FilterNodeSettings filterNode) throws Exception {
        this(dir, delivery, feed, appeals, filterNode, HttpSecurity.defaults());
    }

    /** Over HTTPS (or with another request-head timeout); call it with curl or a client of your own. */
    public SigningGateway(Path dir, HttpSecurity http) throws Exception {
        this(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(), AppealSettings.defaults(),
                FilterNodeSettings.disabled(), http);
    }

    /** On the given database (PostgreSQL), with the in-process filtering node off. */
    public SigningGateway(Path dir, DatabaseSettings database) throws Exception {
        this(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(), AppealSettings.defaults(),
                FilterNodeSettings.disabled(), HttpSecurity.defaults(), Optional.of(database));
    }

    /** Asking the registry's WHOIS at {@code suspensions}' server (one of the test's own). */
    public SigningGateway(Path dir, DeliverySettings delivery, SuspensionSettings suspensions) throws Exception {
        this(dir, delivery, FeedSettings.onAnyPort(), AppealSettings.defaults(), FilterNodeSettings.disabled(),
                HttpSecurity.defaults(), Optional.empty(), suspensions);
    }

    private SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed, AppealSettings appeals,
                           FilterNodeSettings filterNode, HttpSecurity http) throws Exception {
        this(dir, delivery, feed, appeals, filterNode, http, Optional.empty());
    }

    private SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed, AppealSettings appeals,
                           FilterNodeSettings filterNode, HttpSecurity http, Optional<DatabaseSettings> database)
            throws Exception {
        this(dir, delivery, feed, appeals, filterNode, http, database, NO_WHOIS);
    }

    private SigningGateway(Path dir, DeliverySettings delivery, FeedSettings feed, AppealSettings appeals,
                           FilterNodeSettings filterNode, HttpSecurity http, Optional<DatabaseSettings> database,
                           SuspensionSettings suspensions) throws Exception {
        pki = OpenSslPki.create(dir.resolve("pki"), "Test Authority CA");
        signer = pki.issue("signer", KeyType.EC_P256);
        security = pki.issue("security", KeyType.EC_P256);
        Path dataDir = dir.resolve("data");
        gateway = Gateway.start(GatewayConfig.onLoopback(dataDir, database.orElse(DatabaseSettings.embedded(dataDir)),
                        new ClusterSettings("test-" + UUID.randomUUID(), "127.0.0.1", 0, List.of()))
                .withAdminToken(Optional.of(ADMIN))
                .withShutdownGrace(Duration.ofSeconds(2))
                .withTrust(new TrustFiles(List.of(pki.caCertificate()), List.of(signer.certificate()), List.of())
                        .withScopedSigners(Map.of(security.certificate(), Set.of(DirectiveKind.DOMAIN_SUSPENSION))))
                .withFilterNode(filterNode).withDelivery(delivery).withFeed(feed).withAppeals(appeals)
                .withSuspensions(suspensions)
                .withRateLimits(TestGateways.GENEROUS).withHttp(http));
    }

    /** Submits a signed directive; returns the 201 answer (the directive's id, serial…). */
    public JsonObject submit(DirectiveJson json) throws Exception {
        return submit(json.bytes());
    }

    /** Signs and submits a document given as bytes (such as one the gateway drafted). */
    public JsonObject submit(byte[] document) throws Exception {
        return submit(signer, document);
    }

    /** Signs a directive with {@code by} (the content authority's {@link #signer}, or {@link #security}) and submits it. */
    public JsonObject submit(Signer by, DirectiveJson json) throws Exception {
        return submit(by, json.bytes());
    }

    private JsonObject submit(Signer by, byte[] document) throws Exception {
        HttpResponse<String> accepted = send(gateway, "POST", "/api/v1/directives",
                pki.signAttached(by, document, Encoding.DER), "Content-Type", "application/pkcs7-mime");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        return new JsonObject(accepted.body());
    }

    /** Registers a recipient; returns its token. */
    public String register(String id, String role, String channel, JsonObject settings) throws Exception {
        return register(id, "Operator " + id, role, channel, settings);
    }

    /** Registers a recipient under {@code name} (a registrar's as the registry's WHOIS gives it); returns its token. */
    public String register(String id, String name, String role, String channel, JsonObject settings) throws Exception {
        JsonObject body = new JsonObject().put("id", id).put("name", name).put("bin", "990740000029")
                .put("role", role).put("channel", channel);
        if (settings != null) {
            body.put("settings", settings);
        }
        HttpResponse<String> created = as(ADMIN, "POST", "/api/v1/operators", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("token");
    }

    /** An official added by the admin token: what it signs in with, and its API token. */
    public record Enrolled(String name, String password, String totpSecret, String token) {
    }

    /** Adds an official with these roles (by the admin token) and issues it an API token. */
    public Enrolled official(String name, OfficialRole... roles) throws Exception {
        String password = "pass phrase of " + name;
        io.vertx.core.json.JsonArray names = new io.vertx.core.json.JsonArray();
        for (OfficialRole role : roles) {
            names.add(role.name());
        }
        HttpResponse<String> added = as(ADMIN, "POST", "/api/v1/officials", new JsonObject().put("name", name)
                .put("displayName", "Official " + name).put("roles", names).put("password", password));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        HttpResponse<String> token = as(ADMIN, "POST", "/api/v1/officials/" + name + "/token", null);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return new Enrolled(name, password, new JsonObject(added.body()).getString("totpSecret"),
                new JsonObject(token.body()).getString("token"));
    }

    /**
     * Signs the official in to the console with its password and the code of now; returns the
     * session's cookie as a {@code Cookie} header's value. (A code is taken once: an official signs in
     * once per 30-second step.)
     */
    public String signIn(Enrolled official) throws Exception {
        String form = "name=" + official.name() + "&password=" + java.net.URLEncoder.encode(official.password(),
                StandardCharsets.UTF_8) + "&code=" + Officials.currentCode(official.totpSecret(), java.time.Instant.now());
        HttpResponse<String> signedIn = send(gateway, "POST", "/console/signin", form.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /** A call with a bearer token and, when given, a JSON body. */
    public HttpResponse<String> as(String token, String method, String path, JsonObject body) throws Exception {
        return body == null
                ? send(gateway, method, path, new byte[0], "Authorization", "Bearer " + token)
                : send(gateway, method, path, body.encode().getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    @Override
    public void close() {
        gateway.close();
    }
}
