-- The Merkle log of the change log (RFC 9162): one leaf per serial, kept for ever although the
-- changes themselves are pruned, so that which set was in force when can be proved afterwards.
-- Written in the intake's transaction with the change; the leaf of serial s is leaf s - 1 of the tree.
CREATE TABLE blocklist_log_leaf (
    serial           BIGINT        PRIMARY KEY,
    operation        VARCHAR(8)    NOT NULL,
    target_key       VARCHAR(8300) NOT NULL,
    directive_number VARCHAR(64)   NOT NULL,
    -- SHA-256 of the signed document of the directive the change was made under.
    document_sha256  CHAR(64)      NOT NULL,
    leaf_hash        CHAR(64)      NOT NULL
);

-- The log at the head: its size (the serial it reaches) and its right edge (the roots of its
-- complete subtrees, largest first, as hex), which gives the root and lets the intake extend the log
-- without the leaves. A database from before the log has size 0 here until the gateway builds it.
ALTER TABLE blocklist_head ADD COLUMN log_size BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE blocklist_head ADD COLUMN log_frontier VARCHAR(4200) DEFAULT '' NOT NULL;
