package kz.qaqpa.directives.signature;

import java.util.EnumSet;
import java.util.Set;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.document.StoredDocuments;

/**
 * What a directive orders, as far as who may sign it goes. Two bodies sign directives: the
 * authority that restricts and restores access to content (seed 002 art. 41-1, seed 003), and the
 * authority for information security that asks the registry to suspend a domain name (seed 000
 * §2(1), §16–17). Each authorised signer may sign the kinds it is configured with, so that a
 * certificate of one cannot order what only the other may.
 */
public enum DirectiveKind {
    /** A RESTRICT of access to content. */
    RESTRICTION,
    /** A RESTORE of access restricted by a RESTRICTION. */
    RESTORATION,
    /** A RESTRICT with {@code domainSuspension}, and the RESTORE that ends it. */
    DOMAIN_SUSPENSION;

    /** What a signer configured without kinds may sign: the content authority's directives. */
    public static final Set<DirectiveKind> CONTENT = Set.copyOf(EnumSet.of(RESTRICTION, RESTORATION));

    /**
     * The kind of {@code document}; for a RESTORE, {@code cancelledDocument} is the signed document
     * of the directive it cancels (a RESTORE ends a suspension as the suspension's kind).
     */
    public static DirectiveKind of(DirectiveDocument document, byte[] cancelledDocument) {
        if (document.action() == Action.RESTRICT) {
            return document.domainSuspension().isPresent() ? DOMAIN_SUSPENSION : RESTRICTION;
        }
        return cancelledDocument != null && StoredDocuments.suspendsDomains(cancelledDocument)
                ? DOMAIN_SUSPENSION : RESTORATION;
    }
}
