package kz.qaqpa.blocklist.model;

/** The kinds of target a directive may name (SPEC §4), as the blocklist, its feeds and the cluster carry them. */
public enum TargetKind {
    DOMAIN,
    URL,
    IP,
    CIDR,
    APP
}
