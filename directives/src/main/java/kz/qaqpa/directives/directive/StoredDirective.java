package kz.qaqpa.directives.directive;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A directive (нұсқама) as the database holds it.
 *
 * @param id             database identity; absent until saved
 * @param authorityBin   BIN of the authorised body that issued it
 * @param number         outgoing number, unique per authority
 * @param action         RESTRICT or RESTORE
 * @param issuedAt       date of issue stated in the document
 * @param status         where it stands now
 * @param documentSha256 SHA-256 (hex) of the signed bytes as received
 * @param receivedAt     when the gateway accepted it
 */
@MappedEntity("directive")
public record StoredDirective(
        @Id @GeneratedValue @Nullable Long id,
        String authorityBin,
        String number,
        Action action,
        Instant issuedAt,
        DirectiveStatus status,
        String documentSha256,
        Instant receivedAt) {
}
