package kz.qaqpa.directives.directive;

/** Where a stored directive stands. */
public enum DirectiveStatus {
    /** In force: its targets are restricted (RESTRICT) or it has cancelled its directive (RESTORE). */
    ACTIVE,
    /** A RESTRICT cancelled by a later RESTORE; its targets no longer count. */
    CANCELLED
}
