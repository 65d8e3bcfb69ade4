package kz.qaqpa.directives.audit;

import java.time.Instant;
import java.util.Optional;
import kz.qaqpa.directives.signature.SignerIdentity;

/**
 * What happened, for the audit log: an event, the directive it concerns, who signed what, and who
 * submitted it.
 */
public record AuditEntry(
        String event,
        Optional<Long> directiveId,
        Optional<SignerIdentity> signer,
        Optional<Instant> signingTime,
        Optional<String> documentSha256,
        String submittedBy,
        String details) {
}
