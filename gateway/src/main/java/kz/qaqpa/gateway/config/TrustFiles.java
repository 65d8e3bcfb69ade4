package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The PEM files that say whose directive signatures are believed.
 *
 * @param trustAnchors      CA certificates signer certificates must chain to
 * @param authorisedSigners the certificates allowed to sign directives
 * @param crls              certificate revocation lists to honour, read again when their files change
 * @param crlGrace          how long past its {@code nextUpdate} a CRL may be before the gateway
 *                          reports not ready (a revocation made since could be missing)
 */
public record TrustFiles(List<Path> trustAnchors, List<Path> authorisedSigners, List<Path> crls, Duration crlGrace) {

    public static final Setting<List<Path>> TRUST_ANCHORS = Setting.withDefault("trust-anchors", "FILE[,FILE]",
            Parse::readableFiles, List.<Path>of(),
            "PEM CA certificates directive signers must chain to (default: a demo PKI in embedded mode).");
    public static final Setting<List<Path>> AUTHORISED_SIGNERS = Setting.withDefault("authorised-signers", "FILE[,FILE]",
            Parse::readableFiles, List.<Path>of(), "PEM certificates allowed to sign directives.");
    public static final Setting<List<Path>> CRL = Setting.withDefault("crl", "FILE", Parse::readableFiles, List.<Path>of(),
            "A CRL to honour; repeat for several.");
    public static final Setting<Duration> CRL_GRACE = Setting.of("crl-grace", "DURATION", Parse::duration, "1h",
            "How long past its nextUpdate a CRL may be before the gateway reports not ready.");
    public static final Duration DEFAULT_CRL_GRACE = CRL_GRACE.defaultValue();

    public TrustFiles {
        trustAnchors = List.copyOf(trustAnchors);
        authorisedSigners = List.copyOf(authorisedSigners);
        crls = List.copyOf(crls);
    }

    public TrustFiles(List<Path> trustAnchors, List<Path> authorisedSigners, List<Path> crls) {
        this(trustAnchors, authorisedSigners, crls, DEFAULT_CRL_GRACE);
    }

    public static TrustFiles none() {
        return new TrustFiles(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return trustAnchors.isEmpty() && authorisedSigners.isEmpty();
    }
}
