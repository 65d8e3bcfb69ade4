package kz.qaqpa.directives.intake;

import java.util.Optional;

/**
 * A signed directive as it arrives.
 *
 * @param signature        the CMS structure: with the document inside, or detached
 * @param detachedDocument the document, when the signature is detached
 * @param submittedBy      who sent it (client address, token name), for the audit log
 */
public record Submission(byte[] signature, Optional<byte[]> detachedDocument, String submittedBy) {
}
