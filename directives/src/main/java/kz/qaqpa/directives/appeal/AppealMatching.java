package kz.qaqpa.directives.appeal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.targets.InvalidTargetException;
import kz.qaqpa.directives.targets.TargetKeys;
import kz.qaqpa.directives.targets.TargetNormaliser;

/**
 * Which directive in force an appeal is about. An appeal names a directive number and a resource as
 * its appellant understood them; the directive it matches is the RESTRICT in force under that number
 * that restricts the resource — by a target covering it, or, for a site whose directive lists only
 * pages, by URL targets on the same site. What matches nothing is still registered (seed 003 §3, §5)
 * and left for the authority to link.
 */
final class AppealMatching {

    /** The directive an appeal is about and its target that restricts the resource (null for a site of URL targets). */
    record Matched(StoredDirective directive, String target) {
    }

    /** A match, or why there is none (for the authority). */
    record Outcome(Optional<Matched> matched, String unmatched) {
    }

    private final DirectiveRepository directives;
    private final TargetRepository targets;

    AppealMatching(DirectiveRepository directives, TargetRepository targets) {
        this.directives = directives;
        this.targets = targets;
    }

    /** The active RESTRICT under {@code number} that restricts {@code resource}, or why there is none. */
    Outcome match(String number, String resource) {
        List<StoredDirective> restricts = directives.findByNumber(number).stream()
                .filter(directive -> directive.action() == Action.RESTRICT).toList();
        if (restricts.isEmpty()) {
            return new Outcome(Optional.empty(), "there is no directive " + number + " restricting access");
        }
        List<StoredDirective> active = restricts.stream().filter(d -> d.status() == DirectiveStatus.ACTIVE).toList();
        if (active.isEmpty()) {
            return new Outcome(Optional.empty(), "directive " + number + " has been cancelled already");
        }
        Set<String> keys = TargetKeys.covering(resource);
        for (StoredDirective directive : active) {
            Optional<StoredTarget> target = targets.findByDirectiveIdOrderByPosition(directive.id()).stream()
                    .filter(candidate -> keys.contains(candidate.targetKey())).findFirst();
            if (target.isPresent()) {
                return new Outcome(Optional.of(new Matched(directive, target.get().value())), null);
            }
        }
        for (StoredDirective directive : active) {
            if (!urlTargetsOnSite(directive.id(), resource).isEmpty()) {
                return new Outcome(Optional.of(new Matched(directive, null)), null);
            }
        }
        return new Outcome(Optional.empty(), "directive " + number + " does not restrict " + resource);
    }

    /**
     * The one RESTRICT in force under {@code number}, for the authority linking an appeal to it,
     * with its target that restricts the resource when one does; the authority's judgement covers
     * what no target matches by name (a mobile application, a mirror).
     *
     * @throws AppealMonitoring.RefusedStepException when no RESTRICT, or more than one, is in force under that number
     */
    Matched inForce(String number, String resource) {
        Outcome outcome = match(number, resource);
        if (outcome.matched().isPresent()) {
            return outcome.matched().get();
        }
        List<StoredDirective> active = directives.findByNumber(number).stream()
                .filter(directive -> directive.action() == Action.RESTRICT && directive.status() == DirectiveStatus.ACTIVE)
                .toList();
        if (active.size() != 1) {
            throw new AppealMonitoring.RefusedStepException(active.isEmpty() ? outcome.unmatched()
                    : "more than one directive " + number + " is in force");
        }
        return new Matched(active.get(0), null);
    }

    /** The directive's URL targets on the resource's host, or a host above or below it. */
    List<String> urlTargetsOnSite(long directiveId, String resource) {
        Optional<String> host = host(resource);
        if (host.isEmpty()) {
            return List.of();
        }
        return targets.findByDirectiveIdOrderByPosition(directiveId).stream()
                .filter(target -> target.kind() == TargetKind.URL && target.hostHint() != null)
                .filter(target -> sameSite(target.hostHint(), host.get()))
                .map(StoredTarget::value)
                .toList();
    }

    private static boolean sameSite(String one, String other) {
        return one.equals(other) || one.endsWith("." + other) || other.endsWith("." + one);
    }

    /** The host of a resource as an appellant wrote it: a URL's, or a name's, in A-label form. */
    private static Optional<String> host(String resource) {
        try {
            String text = resource.strip();
            return Optional.of(text.contains("://") ? TargetNormaliser.url(text).host()
                    : TargetNormaliser.domain(text, false).name());
        } catch (InvalidTargetException e) {
            return Optional.empty();
        }
    }
}
