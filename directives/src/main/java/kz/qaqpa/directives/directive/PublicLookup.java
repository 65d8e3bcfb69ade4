package kz.qaqpa.directives.directive;

import java.util.List;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.directives.targets.TargetKeys;

/**
 * The public look-up — the API's {@code /public/v1/lookup} and the {@code /lookup} page ask the
 * same question here: which active RESTRICT directives restrict what a person typed, in any form it
 * may mean (a name alone or with its subdomains, a URL, an address, a network) and through every
 * name above it restricted with its subdomains. It shows directives, never personal data.
 */
public final class PublicLookup {

    /** The longest question taken. */
    public static final int MAX_QUERY = 2000;
    /** The most directives one answer lists. */
    private static final int MAX_ANSWERS = 100;

    private PublicLookup() {
    }

    /** The SHA-256 of the blocklist keys {@code query} may mean; empty when it is none, or longer than {@link #MAX_QUERY}. */
    public static List<String> keys(String query) {
        if (query == null || query.isBlank() || query.length() > MAX_QUERY) {
            return List.of();
        }
        return TargetKeys.covering(query.strip()).stream().map(BlocklistKey::sha256).toList();
    }

    /** The active RESTRICT directives naming one of {@code keys} (from {@link #keys}). */
    public static List<StoredDirective> restricting(DirectiveRepository directives, List<String> keys) {
        return directives.searchByTarget(null, DirectiveStatus.ACTIVE.name(), keys, MAX_ANSWERS, 0).stream()
                .filter(directive -> directive.action() == Action.RESTRICT).toList();
    }
}
