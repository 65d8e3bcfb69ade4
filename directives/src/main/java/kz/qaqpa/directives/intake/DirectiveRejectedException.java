package kz.qaqpa.directives.intake;

/** A well-signed, well-formed directive that the rules do not allow; {@link #reason()} says which. */
public final class DirectiveRejectedException extends RuntimeException {

    /** The rule broken; each is answered with its own problem type. */
    public enum Reason {
        /** The authority already used this number for another document. */
        NUMBER_REUSED,
        /** The RESTORE cancels a directive this authority never issued. */
        CANCELLED_UNKNOWN,
        /** The RESTORE cancels a directive of another authority. */
        CANCELLED_FOREIGN,
        /** The RESTORE names the right number but another date. */
        CANCELLED_DATE_MISMATCH,
        /** The directive to cancel is cancelled already. */
        ALREADY_CANCELLED,
        /** The RESTORE cancels a RESTORE. */
        NOT_A_RESTRICTION,
        /** The RESTORE lists targets other than those of the directive it cancels. */
        RESTORE_TARGETS_MISMATCH,
        /** The directive is addressed to an operator that is not a registered, active recipient. */
        UNKNOWN_RECIPIENT,
        /** The RESTORE names an appeal that does not exist, is not confirmed, or is about another directive. */
        APPEAL_MISMATCH,
        /** The RESTORE lifts a restriction a court ordered without citing a court decision, or upon an appeal. */
        COURT_DECISION_REQUIRED,
        /** The signer may not sign this kind of directive (a content authority's certificate ordering a suspension). */
        OUTSIDE_SIGNER_SCOPE
    }

    private final Reason reason;

    public DirectiveRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
