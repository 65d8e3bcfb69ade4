package kz.qaqpa.directives.intake;

import java.util.Optional;
import kz.qaqpa.directives.directive.StoredDirective;

/**
 * A directive accepted now, or found already accepted with the same document.
 *
 * @param created   false when the same document had been accepted before
 * @param directive the stored directive
 * @param effect    what this submission did to the blocklist; absent for a repeat, which did nothing
 */
public record IntakeResult(boolean created, StoredDirective directive, Optional<BlocklistEffect> effect) {
}
