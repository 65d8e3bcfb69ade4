package kz.qaqpa.directives.appeal;

import java.time.Instant;
import java.util.List;

/**
 * A registered appeal. Its personal data (names, IIN, BIN or foreign document, e-mail) is for the
 * authority and for the appellant holding the status token, never for public answers, logs or
 * metrics. {@code reasons} are the decision's, once decided; {@code foreignDocument} is null for an
 * appellant identified by IIN or BIN.
 *
 * <p>{@code directiveId} and {@code directiveNumber} are the directive the appeal is about, null
 * while it is NEEDS_MATCHING; {@code citedDirective} is the number the appellant wrote, and
 * {@code unmatched} why it matched no directive in force (null when it did). {@code deadline} is null
 * while it waits for calendar data of the year it falls in.
 */
public record Appeal(long id, String number, AppealStatus status, Instant registeredAt, Instant deadline, String kind,
                     String personName, String iin, String organisationName, String bin, String representative,
                     String email, String language, String resource, Long directiveId, String directiveNumber,
                     List<String> links, String message, String reasons, boolean emailConfirmed,
                     ForeignDocument foreignDocument, String citedDirective, String unmatched) {

    /** The directive number to show: the linked directive's, or the appellant's own while there is none. */
    public String directiveShown() {
        return directiveNumber != null ? directiveNumber : citedDirective;
    }
}
