package kz.qaqpa.directives.directive;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * One target of a directive as stored: its blocklist key (and that key's SHA-256, which is what
 * is indexed), its normalised value, the text the authority wrote, and the collateral rule
 * ({@code CollateralGuard.Rule}, as its label) the directive acknowledged it breaks.
 */
@MappedEntity("directive_target")
public record StoredTarget(
        @Id @GeneratedValue @Nullable Long id,
        long directiveId,
        int position,
        TargetKind kind,
        String targetKey,
        String keySha256,
        @MappedProperty("target_value") String value,
        boolean includeSubdomains,
        @Nullable String hostHint,
        String original,
        @Nullable String collateral) {
}
