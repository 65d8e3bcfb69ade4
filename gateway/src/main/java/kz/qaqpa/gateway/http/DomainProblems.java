package kz.qaqpa.gateway.http;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.InvalidRecipientException;
import kz.qaqpa.adapters.recipient.RecipientConflictException;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.InvalidAppealException;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.InvalidDocumentException;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.signature.SignatureRejectedException;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.directives.suspension.SuspensionCases;

/** Which problem answers which refusal of the domain. */
final class DomainProblems {

    private DomainProblems() {
    }

    static Optional<ProblemException> of(Throwable failure) {
        if (failure instanceof SignatureRejectedException e) {
            return Optional.of(new ProblemException(signature(e.reason()), e.getMessage()));
        }
        if (failure instanceof InvalidDocumentException e) {
            JsonArray errors = new JsonArray();
            e.violations().forEach(v -> errors.add(new JsonObject().put("pointer", v.pointer()).put("detail", v.detail())));
            return Optional.of(new ProblemException(document(e.kind()), e.getMessage(), Map.of("errors", errors)));
        }
        if (failure instanceof DirectiveRejectedException e) {
            return Optional.of(new ProblemException(rule(e.reason()), e.getMessage()));
        }
        if (failure instanceof InvalidRecipientException e) {
            return Optional.of(new ProblemException(ProblemType.RECIPIENT_INVALID, e.getMessage(),
                    Map.of("errors", new JsonArray(e.problems()))));
        }
        if (failure instanceof InvalidAppealException e) {
            JsonArray errors = new JsonArray();
            e.problems().forEach(p -> errors.add(new JsonObject().put("pointer", p.pointer()).put("detail", p.detail())));
            return Optional.of(new ProblemException(ProblemType.APPEAL_INVALID, e.getMessage(), Map.of("errors", errors)));
        }
        if (failure instanceof AppealMonitoring.RefusedStepException e) {
            return Optional.of(new ProblemException(ProblemType.APPEAL_STEP_REFUSED, e.getMessage()));
        }
        if (failure instanceof SuspensionCases.RefusedStepException e) {
            return Optional.of(new ProblemException(ProblemType.SUSPENSION_STEP_REFUSED, e.getMessage()));
        }
        if (failure instanceof WorkingCalendar.UnknownYearException e) {
            return Optional.of(new ProblemException(ProblemType.CALENDAR_YEAR_UNKNOWN, e.getMessage()));
        }
        if (failure instanceof Officials.RefusedChangeException e) {
            return Optional.of(new ProblemException(switch (e.kind()) {
                case INVALID -> ProblemType.OFFICIAL_INVALID;
                case EXISTS -> ProblemType.OFFICIAL_EXISTS;
                case UNKNOWN -> ProblemType.NOT_FOUND;
            }, e.getMessage()));
        }
        if (failure instanceof RecipientConflictException e) {
            return Optional.of(new ProblemException(ProblemType.RECIPIENT_EXISTS, e.getMessage()));
        }
        if (databaseUnavailable(failure)) {
            return Optional.of(new ProblemException(ProblemType.DATABASE_UNAVAILABLE,
                    "the database is not answering; try again shortly (repeating the same request is safe)"));
        }
        return Optional.empty();
    }

    /**
     * Whether a failure comes from the database being out of reach: the pool could not get a
     * connection, a connection it handed out was found closed (Micronaut's ConnectionException), or
     * the server cut one (SQLSTATE class 08, connection exception; 57P, the server shutting down or
     * starting). Nothing was committed then, so the client may simply retry.
     */
    private static boolean databaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DatabaseUnavailableException || cause instanceof ConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static ProblemType signature(SignatureRejectedException.Reason reason) {
        return switch (reason) {
            case MALFORMED -> ProblemType.SIGNATURE_MALFORMED;
            case UNSIGNED -> ProblemType.UNSIGNED;
            case BAD_SIGNATURE -> ProblemType.SIGNATURE_INVALID;
            case UNTRUSTED -> ProblemType.SIGNER_UNTRUSTED;
            case EXPIRED -> ProblemType.CERTIFICATE_EXPIRED;
            case NOT_YET_VALID -> ProblemType.CERTIFICATE_NOT_YET_VALID;
            case KEY_USAGE -> ProblemType.CERTIFICATE_KEY_USAGE;
            case NOT_AUTHORISED -> ProblemType.SIGNER_NOT_AUTHORISED;
            case REVOKED -> ProblemType.CERTIFICATE_REVOKED;
        };
    }

    private static ProblemType document(InvalidDocumentException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> ProblemType.DOCUMENT_MALFORMED;
            case INVALID -> ProblemType.DOCUMENT_INVALID;
            case INVALID_TARGET -> ProblemType.TARGET_INVALID;
            case TOO_MANY_TARGETS -> ProblemType.TOO_MANY_TARGETS;
            case COLLATERAL -> ProblemType.COLLATERAL_DAMAGE;
        };
    }

    private static ProblemType rule(DirectiveRejectedException.Reason reason) {
        return switch (reason) {
            case NUMBER_REUSED -> ProblemType.NUMBER_REUSED;
            case ALREADY_CANCELLED -> ProblemType.DIRECTIVE_ALREADY_CANCELLED;
            case CANCELLED_UNKNOWN -> ProblemType.CANCELLED_DIRECTIVE_UNKNOWN;
            case CANCELLED_FOREIGN -> ProblemType.CANCELLED_DIRECTIVE_FOREIGN;
            case CANCELLED_DATE_MISMATCH -> ProblemType.CANCELLED_DIRECTIVE_DATE_MISMATCH;
            case NOT_A_RESTRICTION -> ProblemType.NOT_A_RESTRICTION;
            case RESTORE_TARGETS_MISMATCH -> ProblemType.RESTORE_TARGETS_MISMATCH;
            case UNKNOWN_RECIPIENT -> ProblemType.UNKNOWN_RECIPIENT;
            case APPEAL_MISMATCH -> ProblemType.APPEAL_MISMATCH;
            case COURT_DECISION_REQUIRED -> ProblemType.COURT_DECISION_REQUIRED;
            case OUTSIDE_SIGNER_SCOPE -> ProblemType.SIGNER_OUT_OF_SCOPE;
        };
    }
}
