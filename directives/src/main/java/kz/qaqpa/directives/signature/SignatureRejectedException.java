package kz.qaqpa.directives.signature;

/** A signed document whose signature does not meet the rules; {@link #reason()} says which. */
public final class SignatureRejectedException extends RuntimeException {

    /** Why a signature is not accepted; each is answered with its own problem type. */
    public enum Reason {
        /** Not a CMS SignedData structure, or one Qaqpa does not accept (several signers). */
        MALFORMED,
        /** No signature, or no signed content. */
        UNSIGNED,
        /** The signature does not match the content: tampered, or signed by another key. */
        BAD_SIGNATURE,
        /** The signer's certificate does not chain to a configured trust anchor. */
        UNTRUSTED,
        /** The signer's certificate had expired at signing time or has expired since. */
        EXPIRED,
        /** The signer's certificate was not yet valid at signing time or is not yet valid now. */
        NOT_YET_VALID,
        /** The certificate is not allowed to sign: wrong key usage. */
        KEY_USAGE,
        /** The signer is trusted but not on the list of authorised signers. */
        NOT_AUTHORISED,
        /** The signer's certificate is revoked by a configured CRL. */
        REVOKED
    }

    private final Reason reason;

    public SignatureRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
