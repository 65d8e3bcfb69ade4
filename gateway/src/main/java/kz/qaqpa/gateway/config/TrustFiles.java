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

    public static final Duration DEFAULT_CRL_GRACE = Duration.ofHours(1);

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
