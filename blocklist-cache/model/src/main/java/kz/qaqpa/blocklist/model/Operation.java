package kz.qaqpa.blocklist.model;

/**
 * What a change does to its target: it enters the set (ADD), leaves it (REMOVE), or stays in it
 * under another directive because the one it was enforced under was cancelled (UPDATE).
 */
public enum Operation {
    ADD,
    UPDATE,
    REMOVE;

    /** Whether the target is restricted once the change is applied. */
    public boolean restricts() {
        return this != REMOVE;
    }
}
