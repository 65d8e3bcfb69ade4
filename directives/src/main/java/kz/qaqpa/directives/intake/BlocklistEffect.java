package kz.qaqpa.directives.intake;

import java.util.List;

/**
 * What accepting a directive did to the set of restricted targets, by blocklist key.
 *
 * @param newlyRestricted  RESTRICT: targets no active directive restricted before
 * @param alreadyRestricted RESTRICT: targets another active directive already restricts
 * @param lifted           RESTORE: targets no active directive restricts any more
 * @param stillRestricted  RESTORE: targets of the cancelled directive that another active
 *                         directive still restricts, so they stay blocked
 */
public record BlocklistEffect(List<String> newlyRestricted, List<String> alreadyRestricted,
                              List<String> lifted, List<String> stillRestricted) {

    public BlocklistEffect {
        newlyRestricted = List.copyOf(newlyRestricted);
        alreadyRestricted = List.copyOf(alreadyRestricted);
        lifted = List.copyOf(lifted);
        stillRestricted = List.copyOf(stillRestricted);
    }
}
