package kz.qaqpa.directives.document;

import kz.qaqpa.directives.targets.Target;

/** A target in normal form beside the text the authority wrote, which is kept as evidence. */
public record TargetEntry(Target target, String original) {
}
