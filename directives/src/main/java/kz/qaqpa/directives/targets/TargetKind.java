package kz.qaqpa.directives.targets;

/** The kinds of target a directive may name (SPEC §4). */
public enum TargetKind {
    DOMAIN,
    URL,
    IP,
    CIDR,
    APP
}
