package kz.qaqpa.directives.signature;

import java.time.Instant;

/**
 * A document whose signature has been verified.
 *
 * @param content     the signed content (the directive JSON)
 * @param signature   the CMS structure as received: the authority's original signature, kept as evidence
 *                    and passed on to operators
 * @param signer      who signed it
 * @param signingTime the signingTime attribute, or the time of verification when absent
 */
public record VerifiedDocument(byte[] content, byte[] signature, SignerIdentity signer, Instant signingTime) {
}
