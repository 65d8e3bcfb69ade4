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

    public static DeliverySettings defaults() {
        return new DeliverySettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(10), Duration.ofHours(24),
                Duration.ofHours(24), Duration.ofHours(1), Optional.empty());
    }

    /** The key that seals recipients' channel secrets: {@code secretsKeyFile}, or {@code secrets.key} in the data directory. */
    public Path secretsKey(Path dataDir) {
        return secretsKeyFile.orElse(dataDir.resolve("secrets.key"));
    }
}
