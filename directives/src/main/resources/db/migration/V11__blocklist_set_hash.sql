-- The set hash (LtHash16, kz.qaqpa.blocklist.model.log.SetHash) of the current set at the log's
-- head: 2,048 bytes as hex, moved with the log's edge in the intake's transaction. A tree head states
-- its digest, so that a snapshot can be checked without replaying the log. NULL on a database from
-- before it, until the gateway computes it from the current set at start (BlocklistLog.complete).
ALTER TABLE blocklist_head ADD COLUMN log_set VARCHAR(4096);

-- A database with no changes yet holds the empty set, whose hash is all zeros.
UPDATE blocklist_head SET log_set = REPEAT('0', 4096) WHERE serial = 0;
