package kz.qaqpa.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.adapters.channel.Channels;
import kz.qaqpa.adapters.outbox.Backoff;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DispatchSettings;
import kz.qaqpa.adapters.outbox.Dispatcher;
import kz.qaqpa.adapters.outbox.Outbox;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

/**
 * Directives accepted into a throw-away database with their deliveries queued, as the gateway does
 * it: an authority and a gateway key made by openssl, the intake with the outbox, the recipients.
 */
public final class FanOut implements AutoCloseable {

    /** Fast enough for tests, the same logic as production. */
    public static final DispatchSettings FAST = new DispatchSettings(Duration.ofMillis(20),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofSeconds(5), Duration.ofHours(1), 4);

    private static final ObjectMapper JSON = new ObjectMapper();

    public final OpenSslPki pki;
    public final DocumentSigner authority;
    public final DocumentSigner gateway;
    public final Signer gatewayCertificate;
    public final ThrowAwayDatabase throwAway;
    public final Database database;
    public final DirectiveIntake intake;
    public final RecipientStore recipients;
    public final DeliveryStore deliveries;
    public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    public FanOut(Path dir, ThrowAwayDatabase throwAway) throws Exception {
        pki = OpenSslPki.create(dir, "Fan-out Test CA");
        Signer signer = pki.issue("authority", KeyType.EC_P256);
        gatewayCertificate = pki.issue("gateway", KeyType.EC_P256);
        authority = DocumentSigner.load(signer.key(), Optional.of(signer.certificate()), Optional.empty());
        gateway = DocumentSigner.load(gatewayCertificate.key(), Optional.of(gatewayCertificate.certificate()), Optional.empty());
        this.throwAway = throwAway;
        database = Database.open(throwAway.settings(), metrics);
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(signer.certificate()), List.of()), Clock.systemUTC());
        intake = new DirectiveIntake(database, verifier, new DirectiveParser(1_000, Clock.systemUTC()),
                Clock.systemUTC(), new Outbox(Clock.systemUTC()));
        SecretBox secrets = SecretBox.ephemeral();
        recipients = new RecipientStore(database.dataSource(), Clock.systemUTC(), secrets);
        deliveries = new DeliveryStore(database, secrets);
    }

    /** Registers an operator and returns its token. */
    public String operator(String id, ChannelKind channel, String settingsJson) throws Exception {
        JsonNode settings = settingsJson == null ? null : JSON.readTree(settingsJson);
        return recipients.register(id, "Operator " + id, "990740000029", Role.OPERATOR, channel, settings).token();
    }

    public StoredDirective submit(DirectiveJson json) {
        return intake.submit(new Submission(authority.sign(json.bytes(), true), Optional.empty(), "test")).directive();
    }

    public Dispatcher dispatcher(Channels channels, DispatchSettings settings) {
        return dispatcher(channels, settings, Clock.systemUTC());
    }

    /** A dispatcher whose time (due attempts, backoff, leases, age) is the given clock's. */
    public Dispatcher dispatcher(Channels channels, DispatchSettings settings, Clock clock) {
        return new Dispatcher(deliveries, channels, clock, settings, metrics).start();
    }

    @Override
    public void close() throws Exception {
        database.close();
        throwAway.close();
    }
}
