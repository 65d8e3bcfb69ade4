package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The PEM files that say whose directive signatures are believed.
 *
 * @param trustAnchors      CA certificates signer certificates must chain to
 * @param authorisedSigners the certificates allowed to sign directives
 * @param crls              certificate revocation lists to honour
 */
public record TrustFiles(List<Path> trustAnchors, List<Path> authorisedSigners, List<Path> crls) {

    public TrustFiles {
        trustAnchors = List.copyOf(trustAnchors);
        authorisedSigners = List.copyOf(authorisedSigners);
        crls = List.copyOf(crls);
    }

    public static TrustFiles none() {
        return new TrustFiles(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return trustAnchors.isEmpty() && authorisedSigners.isEmpty();
    }
}
