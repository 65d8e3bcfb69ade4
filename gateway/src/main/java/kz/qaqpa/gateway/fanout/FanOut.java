package kz.qaqpa.gateway.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Optional;
import kz.qaqpa.adapters.channel.Channels;
import kz.qaqpa.adapters.channel.EmailChannel;
import kz.qaqpa.adapters.channel.FtpChannel;
import kz.qaqpa.adapters.channel.WebhookChannel;
import kz.qaqpa.adapters.outbox.Backoff;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DispatchSettings;
import kz.qaqpa.adapters.outbox.Dispatcher;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientReceipts;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.access.AccessLog;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults.GatewayIdentity;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;
import kz.qaqpa.gateway.http.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out, started: the register of recipients (brought in step with {@code recipients-file}),
 * the deliveries, the gateway's signing key, the channels and the dispatcher.
 *
 * @param recipients the register of operators and the State Technical Service
 * @param deliveries who was sent, received and confirmed what
 * @param signer     the gateway's own key, which signs what recipients receive and the feed's manifests
 * @param receipts   what recipients' pull clients say they hold, and the keys they sign that with
 * @param channels   the channels deliveries (and reminders) go over
 */
public record FanOut(RecipientStore recipients, DeliveryStore deliveries, DocumentSigner signer, RecipientReceipts receipts,
                     Channels channels) {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));
    private static final int WORKERS = 8;

    /** Starts delivering; what has to be stopped is pushed on {@code started}. */
    public static FanOut start(GatewayConfig config, Database database, Vertx vertx, Clock clock, MeterRegistry metrics,
                               Deque<AutoCloseable> started) {
        SecretBox secrets = secrets(config);
        RecipientStore recipients = recipients(database, clock, secrets);
        config.delivery().recipientsFile().ifPresent(file -> RecipientsFile.apply(file, recipients));
        DeliveryStore deliveries = new DeliveryStore(database, secrets);
        DocumentSigner signer = gatewaySigner(config);
        DeliverySettings settings = config.delivery();
        WebhookChannel webhook = new WebhookChannel(vertx, signer, settings.timeout());
        started.push(webhook);
        Channels channels = new Channels()
                .with(ChannelKind.WEBHOOK, webhook)
                .with(ChannelKind.FTP, new FtpChannel(settings.timeout()))
                .with(ChannelKind.EMAIL, new EmailChannel(settings.timeout()));
        started.push(dispatcher(config, channels, deliveries, clock, metrics));
        return new FanOut(recipients, deliveries, signer, new RecipientReceipts(database.dataSource()), channels);
    }

    /** Whose a recipient's bearer token is, for {@link Authentication}: an active recipient's id. */
    public Authentication.RecipientTokens recipientTokens() {
        return token -> recipients.byToken(token).map(Recipient::id);
    }

    /**
     * The names of the recipients a directive was sent to, the State Technical Service first: the
     * list a restoration order of that directive is addressed to (seed 003 §6).
     */
    public List<String> addressees(long directiveId) {
        try {
            List<Recipient> sentTo = new ArrayList<>();
            for (DeliveryView delivery : deliveries.forDirective(directiveId)) {
                recipients.find(delivery.recipientId()).ifPresent(sentTo::add);
            }
            return sentTo.stream()
                    .sorted(Comparator.comparing((Recipient recipient) -> recipient.role() != Role.STATE_TECHNICAL_SERVICE)
                            .thenComparing(Recipient::name))
                    .map(Recipient::name).distinct().toList();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read whom directive " + directiveId + " went to: "
                    + e.getMessage(), e);
        }
    }

    /** The recipients' routes: who they are, their register, their deliveries and acknowledgements. */
    public FanOutHandlers handlers(GatewayConfig config, DirectiveRepository directives, AppealMonitoring appeals,
                                   Clock clock, AccessLog accessLog) {
        return new FanOutHandlers(new RecipientHandlers(recipients, receipts, clock, accessLog),
                new DeliveryHandlers(deliveries, directives, clock, config.delivery().restrictAckWindow(),
                        config.delivery().restoreAckWindow(), appeals));
    }

    private static SecretBox secrets(GatewayConfig config) {
        try {
            return SecretBox.load(config.delivery().secretsKey(config.dataDir()));
        } catch (RuntimeException e) {
            throw new StartupException("cannot start: secrets-key-file: " + e.getMessage(), e);
        }
    }

    private static RecipientStore recipients(Database database, Clock clock, SecretBox secrets) {
        try {
            return new RecipientStore(database.dataSource(), clock, secrets);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read the recipients: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * A started dispatcher over {@code channels}; closing it stops delivering (the webhook client is
     * closed after it). Also registers {@code qaqpa_deliveries_overdue}: deliveries not acknowledged
     * within their window.
     */
    private static AutoCloseable dispatcher(GatewayConfig config, Channels channels, DeliveryStore deliveries, Clock clock,
                                           MeterRegistry metrics) {
        DeliverySettings settings = config.delivery();
        // An attempt is a handful of round trips, each bounded by the timeout; the lease outlasts them all.
        Duration lease = settings.timeout().multipliedBy(6).compareTo(Duration.ofMinutes(1)) > 0
                ? settings.timeout().multipliedBy(6) : Duration.ofMinutes(1);
        Dispatcher dispatcher = new Dispatcher(deliveries, channels, clock,
                new DispatchSettings(POLL, BACKOFF, lease, settings.deadAfter(), WORKERS), metrics).start();
        Gauge.builder("qaqpa_deliveries_overdue", () -> overdue(deliveries, clock, settings))
                .description("Deliveries not acknowledged within their window").register(metrics);
        return dispatcher::close;
    }

    private static double overdue(DeliveryStore deliveries, Clock clock, DeliverySettings settings) {
        try {
            return deliveries.countOverdue(clock.instant().minus(settings.restrictAckWindow()),
                    clock.instant().minus(settings.restoreAckWindow()));
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** The gateway's own signing key: configured, or made in the data directory on first start. */
    private static DocumentSigner gatewaySigner(GatewayConfig config) {
        DeliverySettings settings = config.delivery();
        try {
            if (settings.gatewayKey().isPresent()) {
                return DocumentSigner.load(settings.gatewayKey().get(), settings.gatewayCertificate(), Optional.empty());
            }
            GatewayIdentity made = EmbeddedDefaults.gatewayIdentity(config.dataDir());
            LOG.info("Signing what is sent to recipients with {} (certificate {})", made.key(), made.certificate());
            return DocumentSigner.load(made.key(), Optional.of(made.certificate()), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: gateway-key: " + e.getMessage(), e);
        }
    }
}
