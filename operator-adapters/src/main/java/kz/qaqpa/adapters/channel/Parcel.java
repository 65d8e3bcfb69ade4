package kz.qaqpa.adapters.channel;

import java.time.Instant;
import java.util.List;

/**
 * What one delivery carries to one recipient.
 *
 * @param deliveryId         the delivery's id
 * @param idempotencyKey     the same on every attempt of this delivery, so the recipient can drop repeats
 * @param recipientId        who it goes to
 * @param directiveNumber    the directive's outgoing number
 * @param action             RESTRICT or RESTORE
 * @param issuedAt           when the authority issued it
 * @param authorityBin       the issuing authority's BIN
 * @param authorityName      its name
 * @param legalBasis         the legal basis the directive cites
 * @param cancels            for a RESTORE, the number of the directive it cancels; otherwise null
 * @param cancelsIssuedAt    for a RESTORE, when the directive it cancels was issued; otherwise null
 * @param targets            the targets as the authority wrote them (a RESTORE that lists none: those
 *                           of the directive it cancels)
 * @param document           the directive document exactly as signed
 * @param authoritySignature the authority's CMS signature exactly as received
 */
public record Parcel(long deliveryId, String idempotencyKey, String recipientId, String directiveNumber, String action,
                     Instant issuedAt, String authorityBin, String authorityName, String legalBasis, String cancels,
                     Instant cancelsIssuedAt, List<String> targets, byte[] document, byte[] authoritySignature) {

    /** The directive number made safe as a file name: anything but letters, digits, '.', '-' and '_' becomes '_'. */
    public String fileStem() {
        return directiveNumber.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
