package kz.qaqpa.directives.signature;

import java.time.Instant;
import java.util.Set;

/**
 * A document whose signature has been verified.
 *
 * @param content     the signed content (the directive JSON)
 * @param signature   the CMS structure as received: the authority's original signature, kept as evidence
 *                    and passed on to operators
 * @param signer      who signed it
 * @param signingTime the signingTime attribute, or the time of verification when absent
 * @param scope       the kinds of directive its signer may sign
 */
public record VerifiedDocument(byte[] content, byte[] signature, SignerIdentity signer, Instant signingTime,
                               Set<DirectiveKind> scope) {

    public VerifiedDocument {
        scope = Set.copyOf(scope);
    }
}
