package kz.qaqpa.directives.appeal;

import java.util.List;
import java.util.Optional;

/**
 * A restoration appeal as submitted (seed 003 §3): who appeals — a person by full name and IIN, or
 * an organisation by name, BIN and representative; without an IIN or BIN, by a foreign document —
 * how to reach them, which resource, under which directive, from which links the material was
 * removed, and why.
 *
 * @param kind             OWNER, REPRESENTATIVE or USER
 * @param language         kk, ru or en: the language of the notices the appellant receives
 * @param signature        the appellant's CMS signature over the appeal, when given
 * @param foreignDocument  instead of the IIN or BIN, for an appellant who has none; else null
 * @param personalDataAcknowledged whether the appellant acknowledged what personal data is collected,
 *                         why and for how long (seed 002 art. 44); an appeal without it is not registered
 */
public record AppealForm(String kind, String personName, String iin, String organisationName, String bin,
                         String representative, String email, String language, String resource, String directiveNumber,
                         List<String> links, String message, Optional<byte[]> signature, ForeignDocument foreignDocument,
                         boolean personalDataAcknowledged) {

    /** An appellant identified by a Kazakh IIN or BIN, who acknowledged the personal-data notice. */
    public AppealForm(String kind, String personName, String iin, String organisationName, String bin,
                      String representative, String email, String language, String resource, String directiveNumber,
                      List<String> links, String message, Optional<byte[]> signature) {
        this(kind, personName, iin, organisationName, bin, representative, email, language, resource, directiveNumber,
                links, message, signature, null, true);
    }

    /** An appellant who acknowledged the personal-data notice. */
    public AppealForm(String kind, String personName, String iin, String organisationName, String bin,
                      String representative, String email, String language, String resource, String directiveNumber,
                      List<String> links, String message, Optional<byte[]> signature, ForeignDocument foreignDocument) {
        this(kind, personName, iin, organisationName, bin, representative, email, language, resource, directiveNumber,
                links, message, signature, foreignDocument, true);
    }
}
