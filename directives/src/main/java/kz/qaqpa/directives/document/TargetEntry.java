package kz.qaqpa.directives.document;

import java.util.Optional;
import kz.qaqpa.directives.targets.CollateralGuard;
import kz.qaqpa.directives.targets.Target;

/**
 * A target in normal form beside the text the authority wrote, which is kept as evidence, and the
 * collateral rule it breaks that its directive acknowledged ({@link CollateralGuard}), if any.
 */
public record TargetEntry(Target target, String original, Optional<CollateralGuard.Rule> acknowledged) {

    public TargetEntry(Target target, String original) {
        this(target, original, Optional.empty());
    }
}
