-- The change log of the set of restricted targets. Every committed change gets the next serial;
-- the Hazelcast blocklist, every filtering node and every operator's copy are derived from it.
CREATE TABLE blocklist_change (
    serial             BIGINT                   PRIMARY KEY,
    operation          VARCHAR(8)               NOT NULL,
    kind               VARCHAR(8)               NOT NULL,
    target_key         VARCHAR(8300)            NOT NULL,
    target_value       VARCHAR(8192)            NOT NULL,
    include_subdomains BOOLEAN                  NOT NULL,
    host_hint          VARCHAR(253),
    -- The directive whose acceptance made the change: the RESTRICT that added the target, or the
    -- RESTORE that lifted it.
    directive_id       BIGINT                   NOT NULL REFERENCES directive (id),
    changed_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT blocklist_change_operation_known CHECK (operation IN ('ADD', 'REMOVE'))
);

-- The last serial given; locked by every intake before it decides what changes, which serialises
-- the decisions and keeps serials gap-free across gateways.
CREATE TABLE blocklist_head (
    id     INTEGER PRIMARY KEY,
    serial BIGINT  NOT NULL,
    CONSTRAINT blocklist_head_single CHECK (id = 1)
);
INSERT INTO blocklist_head (id, serial) VALUES (1, 0);

-- The blocklist serial at which a directive took effect (its last change, or the serial current
-- when it changed nothing).
ALTER TABLE directive ADD COLUMN blocklist_serial BIGINT;
