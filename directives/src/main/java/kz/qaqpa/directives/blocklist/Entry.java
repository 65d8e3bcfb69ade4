package kz.qaqpa.directives.blocklist;

import java.util.Optional;
import kz.qaqpa.directives.targets.TargetKind;

/**
 * One target of the current set of restricted targets.
 *
 * @param kind              what kind of target
 * @param key               its blocklist key ({@code Target.key()})
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether everything below it is restricted too
 * @param hostHint          for a URL, its host
 * @param directiveId       the active RESTRICT it is enforced under
 * @param directiveNumber   that directive's outgoing number
 * @param sinceSerial       the serial at which it entered the set
 */
public record Entry(TargetKind kind, String key, String value, boolean includeSubdomains, Optional<String> hostHint,
                    long directiveId, String directiveNumber, long sinceSerial) {
}
