package kz.qaqpa.directives.appeal;

import java.time.Instant;
import java.util.List;

/**
 * A registered appeal. Its personal data (names, IIN, BIN or foreign document, e-mail) is for the
 * authority and for the appellant holding the status token, never for public answers, logs or
 * metrics. {@code reasons} are the decision's, once decided; {@code foreignDocument} is null for an
 * appellant identified by IIN or BIN.
 */
public record Appeal(long id, String number, AppealStatus status, Instant registeredAt, Instant deadline, String kind,
                     String personName, String iin, String organisationName, String bin, String representative,
                     String email, String language, String resource, long directiveId, String directiveNumber,
                     List<String> links, String message, String reasons, boolean emailConfirmed,
                     ForeignDocument foreignDocument) {
}
