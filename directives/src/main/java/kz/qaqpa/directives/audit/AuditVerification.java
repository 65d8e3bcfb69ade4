package kz.qaqpa.directives.audit;

import java.util.Optional;

/**
 * The outcome of checking the audit chain.
 *
 * @param records     records read
 * @param firstBroken the sequence number of the first record that breaks the chain, if any
 * @param reason      what is wrong with it, or "intact"
 */
public record AuditVerification(long records, Optional<Long> firstBroken, String reason) {

    public boolean intact() {
        return firstBroken.isEmpty();
    }
}
