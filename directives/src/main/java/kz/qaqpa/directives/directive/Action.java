package kz.qaqpa.directives.directive;

/** What a directive orders: restrict access, or restore it by cancelling an earlier directive. */
public enum Action {
    RESTRICT,
    RESTORE
}
