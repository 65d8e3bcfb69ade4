package kz.qaqpa.gateway.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
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
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults.GatewayIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the delivery of directives: the gateway's signing key, the channels and the dispatcher. */
public final class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));
    private static final int WORKERS = 8;

    private FanOut() {
    }

    /**
     * A started dispatcher; closing it stops delivering and closes the webhook client. Also
     * registers {@code qaqpa_deliveries_overdue}: deliveries not acknowledged within their window.
     */
    public static AutoCloseable dispatcher(GatewayConfig config, DocumentSigner gatewaySigner, Vertx vertx,
                                           DeliveryStore deliveries, Clock clock, MeterRegistry metrics) {
        DeliverySettings settings = config.delivery();
        WebhookChannel webhook = new WebhookChannel(vertx, gatewaySigner, settings.timeout());
        Channels channels = new Channels()
                .with(ChannelKind.WEBHOOK, webhook)
                .with(ChannelKind.FTP, new FtpChannel(settings.timeout()))
                .with(ChannelKind.EMAIL, new EmailChannel(settings.timeout()));
        // An attempt is a handful of round trips, each bounded by the timeout; the lease outlasts them all.
        Duration lease = settings.timeout().multipliedBy(6).compareTo(Duration.ofMinutes(1)) > 0
                ? settings.timeout().multipliedBy(6) : Duration.ofMinutes(1);
        Dispatcher dispatcher = new Dispatcher(deliveries, channels, clock,
                new DispatchSettings(POLL, BACKOFF, lease, settings.deadAfter(), WORKERS), metrics).start();
        Gauge.builder("qaqpa_deliveries_overdue", () -> overdue(deliveries, clock, settings))
                .description("Deliveries not acknowledged within their window").register(metrics);
        return () -> {
            dispatcher.close();
            webhook.close();
        };
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
    public static DocumentSigner gatewaySigner(GatewayConfig config) {
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
