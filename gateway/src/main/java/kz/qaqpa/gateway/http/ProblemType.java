package kz.qaqpa.gateway.http;

import java.net.URI;

/**
 * The kinds of problem the API answers with (RFC 9457). A type URI never changes once published:
 * clients branch on it. The list is also in the OpenAPI document and the README.
 */
public enum ProblemType {
    BAD_REQUEST(400, "bad-request", "Bad request"),
    UNAUTHORIZED(401, "unauthorized", "Authentication required"),
    CLIENT_CERTIFICATE_REQUIRED(401, "client-certificate-required", "Client certificate required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    CROSS_SITE_REQUEST(403, "cross-site-request", "Sent from a page of another site"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
    INTERNAL(500, "internal-error", "Internal error"),
    NOT_READY(503, "not-ready", "Service not ready"),
    DATABASE_UNAVAILABLE(503, "database-unavailable", "Database unavailable"),

    // The signature of a submitted directive.
    SIGNATURE_MALFORMED(400, "signature-malformed", "Not a CMS signature"),
    UNSIGNED(400, "unsigned", "Not signed"),
    SIGNATURE_INVALID(422, "signature-invalid", "Signature does not match the document"),
    SIGNER_UNTRUSTED(403, "signer-untrusted", "Signer's certificate is not trusted"),
    CERTIFICATE_EXPIRED(403, "certificate-expired", "Signer's certificate has expired"),
    CERTIFICATE_NOT_YET_VALID(403, "certificate-not-yet-valid", "Signer's certificate is not yet valid"),
    CERTIFICATE_KEY_USAGE(403, "certificate-key-usage", "Signer's certificate may not sign"),
    SIGNER_NOT_AUTHORISED(403, "signer-not-authorised", "Signer is not authorised to issue directives"),
    SIGNER_OUT_OF_SCOPE(403, "signer-out-of-scope", "Signer may not sign this kind of directive"),
    CERTIFICATE_REVOKED(403, "certificate-revoked", "Signer's certificate is revoked"),

    // The document of a submitted directive.
    DOCUMENT_MALFORMED(400, "document-malformed", "Document is not well-formed JSON"),
    DOCUMENT_INVALID(422, "document-invalid", "Document does not follow qaqpa.directive/v1"),
    TARGET_INVALID(422, "target-invalid", "A target is not valid"),
    TOO_MANY_TARGETS(422, "too-many-targets", "Too many targets in one directive"),
    COLLATERAL_DAMAGE(422, "collateral-damage", "A target would restrict far more than one resource"),

    // The rules a directive must follow.
    NUMBER_REUSED(409, "number-reused", "Directive number already used for another document"),
    DIRECTIVE_ALREADY_CANCELLED(409, "directive-already-cancelled", "Directive already cancelled"),
    CANCELLED_DIRECTIVE_UNKNOWN(422, "cancelled-directive-unknown", "No such directive to cancel"),
    CANCELLED_DIRECTIVE_FOREIGN(422, "cancelled-directive-foreign", "Directive belongs to another authority"),
    CANCELLED_DIRECTIVE_DATE_MISMATCH(422, "cancelled-directive-date-mismatch", "Directive to cancel has another date"),
    NOT_A_RESTRICTION(422, "not-a-restriction", "Only a RESTRICT can be cancelled"),
    RESTORE_TARGETS_MISMATCH(422, "restore-targets-mismatch", "Targets differ from the cancelled directive's"),
    UNKNOWN_RECIPIENT(422, "unknown-recipient", "Directive is addressed to an unknown operator"),
    APPEAL_MISMATCH(422, "appeal-mismatch", "The RESTORE's appeal is unknown, not confirmed, or about another directive"),
    COURT_DECISION_REQUIRED(422, "court-decision-required", "A restriction a court ordered is lifted by a court decision, not upon an appeal"),

    // Recipients and their acknowledgements.
    RECIPIENT_INVALID(422, "recipient-invalid", "Recipient's registration is not valid"),
    RECIPIENT_EXISTS(409, "recipient-exists", "A recipient with this id exists"),
    ACKNOWLEDGEMENT_MISMATCH(422, "acknowledgement-mismatch", "Acknowledgement does not fit the directive's action"),
    RECEIPT_KEY_UNREGISTERED(409, "receipt-key-unregistered", "No key is registered for this recipient's receipts"),
    RECEIPT_INVALID(422, "receipt-invalid", "The receipt is not one this recipient signed"),

    // The operators' feed of the list.
    CHANGES_GONE(410, "changes-gone", "Changes since that serial are no longer kept; take a snapshot"),
    SNAPSHOT_NOT_KEPT(404, "snapshot-not-kept", "No snapshot is kept for that serial"),

    // Appeals and their deadlines.
    CALENDAR_YEAR_UNKNOWN(422, "calendar-year-unknown", "The working-day calendar has no data for that year"),
    CALENDAR_INVALID(422, "calendar-invalid", "The calendar file does not parse; the calendar in use is unchanged"),
    APPEAL_INVALID(422, "appeal-invalid", "The appeal is not complete or not valid"),
    APPEAL_STEP_REFUSED(409, "appeal-step-refused", "The appeal's state or findings do not allow that step"),

    // Domain-name suspensions.
    SUSPENSION_STEP_REFUSED(409, "suspension-step-refused", "The case's state, the party or the time does not allow that step"),

    // Officials' accounts
    OFFICIAL_INVALID(422, "official-invalid", "The official's account would not be valid"),
    OFFICIAL_EXISTS(409, "official-exists", "An official of this name exists");

    private static final String PREFIX = "urn:qaqpa:problem:";

    private final int status;
    private final URI type;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.type = URI.create(PREFIX + slug);
        this.title = title;
    }

    public int status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }
}
