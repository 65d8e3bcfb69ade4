package kz.qaqpa.directives.blocklist;

import java.time.Instant;
import java.util.Optional;
import kz.qaqpa.directives.targets.TargetKind;

/**
 * One committed change of the set of restricted targets.
 *
 * @param serial            its place in the change log; serials have no gaps
 * @param operation         the target entered or left the set
 * @param kind              what kind of target
 * @param key               its blocklist key ({@code Target.key()})
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether everything below it is restricted too
 * @param hostHint          for a URL, its host
 * @param directiveId       ADD and UPDATE: the directive the target is enforced under from this
 *                          serial on; REMOVE: the RESTORE that lifted it
 * @param directiveNumber   that directive's outgoing number
 * @param changedAt         when it was committed
 */
public record Change(long serial, Operation operation, TargetKind kind, String key, String value,
                     boolean includeSubdomains, Optional<String> hostHint, long directiveId, String directiveNumber,
                     Instant changedAt) {

    /**
     * A target entered the set (ADD), left it (REMOVE), or stays in it under another directive
     * because the one it was enforced under was cancelled (UPDATE).
     */
    public enum Operation { ADD, REMOVE, UPDATE }
}
