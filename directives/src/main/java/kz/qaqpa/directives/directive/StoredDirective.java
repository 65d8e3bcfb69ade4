package kz.qaqpa.directives.directive;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A directive (нұсқама) as the database holds it: the parsed fields that are queried, and the
 * signed document and signature exactly as received.
 *
 * @param id             database identity; absent until saved
 * @param cancelsId      for a RESTORE, the RESTRICT it cancels
 * @param cancelledById  for a cancelled RESTRICT, the RESTORE that cancelled it
 * @param appealNumber   for a RESTORE, the restoration appeal it answers
 * @param document       the JSON document as signed
 * @param signature      the CMS signature as received (with the document inside when attached)
 * @param documentSha256 SHA-256 (hex) of {@code document}: the identity used for idempotent resubmission
 * @param blocklistSerial the blocklist serial at which the directive took effect; set in the same
 *                       transaction that stores it, absent only before that
 * @param expiresAt      for a RESTRICT for a period, when it ends and the gateway lifts it; else null
 * @param domainBan      for a RESTRICT banning its domain names (seed 002 art. 21), SUSPENDED or ANNULLED; else null
 * @param domainBanUntil when that ban ends
 */
@MappedEntity("directive")
public record StoredDirective(
        @Id @GeneratedValue @Nullable Long id,
        String authorityBin,
        String authorityName,
        String number,
        Action action,
        Instant issuedAt,
        String legalBasis,
        DirectiveStatus status,
        @Nullable Long cancelsId,
        @Nullable Long cancelledById,
        @Nullable String appealNumber,
        int targetCount,
        byte[] document,
        byte[] signature,
        String documentSha256,
        String signerSubject,
        String signerSerial,
        Instant signingTime,
        Instant receivedAt,
        String submittedBy,
        @Nullable Long blocklistSerial,
        @Nullable Instant expiresAt,
        @Nullable String domainBan,
        @Nullable Instant domainBanUntil) {

    /** This row with the serial it took effect at, as the intake transaction sets it. */
    public StoredDirective withBlocklistSerial(long serial) {
        return new StoredDirective(id, authorityBin, authorityName, number, action, issuedAt, legalBasis, status,
                cancelsId, cancelledById, appealNumber, targetCount, document, signature, documentSha256,
                signerSubject, signerSerial, signingTime, receivedAt, submittedBy, serial, expiresAt, domainBan,
                domainBanUntil);
    }
}
