package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How directives reach recipients.
 *
 * @param gatewayKey         the gateway's own signing key (PEM or PKCS#12); made in the data
 *                           directory when not given
 * @param gatewayCertificate its certificate (PEM)
 * @param timeout            how long one attempt may take
 * @param deadAfter          a delivery not made by this age is given up (DEAD)
 * @param restrictAckWindow  a RESTRICT not acknowledged this long after acceptance is OVERDUE
 * @param restoreAckWindow   the same for a RESTORE (the rules say "immediately")
 * @param recipientsFile     a YAML list of recipients to register (or bring in step) at start
 * @param secretsKeyFile     the AES key (base64, 256 bits) that seals recipients' passwords; every
 *                           member of a gateway cluster needs the same one
 */
public record DeliverySettings(Optional<Path> gatewayKey, Optional<Path> gatewayCertificate, Duration timeout,
                               Duration deadAfter, Duration restrictAckWindow, Duration restoreAckWindow,
                               Optional<Path> recipientsFile, Optional<Path> secretsKeyFile) {

    public DeliverySettings(Optional<Path> gatewayKey, Optional<Path> gatewayCertificate, Duration timeout,
                            Duration deadAfter, Duration restrictAckWindow, Duration restoreAckWindow,
                            Optional<Path> recipientsFile) {
        this(gatewayKey, gatewayCertificate, timeout, deadAfter, restrictAckWindow, restoreAckWindow, recipientsFile,
                Optional.empty());
    }

    public static final Setting<Path> SECRETS_KEY_FILE = Setting.optional("secrets-key-file", "FILE", Parse::path,
            "AES key sealing recipients' passwords, the same on every member (default DATA-DIR/secrets.key, made on first start).");
    public static final Setting<Path> GATEWAY_KEY = Setting.optional("gateway-key", "FILE", Parse::readableFile,
            "The gateway's own signing key, PEM or PKCS#12 (default: made in the data directory).");
    public static final Setting<Path> GATEWAY_CERTIFICATE = Setting.optional("gateway-certificate", "FILE",
            Parse::readableFile, "Its certificate (PEM); for filter-node, the one whose signed tree heads it adopts "
                    + "(default DATA-DIR/pki/gateway.pem).").alsoForFilterNode();
    public static final Setting<Duration> TIMEOUT = Setting.of("delivery-timeout", "DURATION", Parse::duration, "10s",
            "Time one delivery attempt may take.");
    public static final Setting<Duration> DEAD_AFTER = Setting.of("delivery-dead-after", "DURATION", Parse::duration, "24h",
            "Age at which an undelivered delivery is given up.");
    public static final Setting<Duration> ACK_OVERDUE_RESTRICT = Setting.of("ack-overdue-restrict", "DURATION",
            Parse::duration, "24h", "A RESTRICT not acknowledged this long is OVERDUE.");
    public static final Setting<Duration> ACK_OVERDUE_RESTORE = Setting.of("ack-overdue-restore", "DURATION",
            Parse::duration, "1h", "A RESTORE not acknowledged this long is OVERDUE.");
    public static final Setting<Path> RECIPIENTS_FILE = Setting.optional("recipients-file", "FILE", Parse::readableFile,
            "YAML list of recipients to register or bring in step at start.");

    public static DeliverySettings defaults() {
        return new DeliverySettings(Optional.empty(), Optional.empty(), TIMEOUT.defaultValue(), DEAD_AFTER.defaultValue(),
                ACK_OVERDUE_RESTRICT.defaultValue(), ACK_OVERDUE_RESTORE.defaultValue(), Optional.empty());
    }

    /** The key that seals recipients' channel secrets: {@code secretsKeyFile}, or {@code secrets.key} in the data directory. */
    public Path secretsKey(Path dataDir) {
        return secretsKeyFile.orElse(dataDir.resolve("secrets.key"));
    }
}
