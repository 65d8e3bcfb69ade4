-- The current set of restricted targets, one row per target, kept by the intake in the same
-- transaction as the change log. It is what a cluster or an operator starts from when the changes
-- it would need have been pruned, and it says which directive a target is enforced under.
CREATE TABLE blocklist_entry (
    key_sha256         CHAR(64)      PRIMARY KEY,
    target_key         VARCHAR(8300) NOT NULL,
    kind               VARCHAR(8)    NOT NULL,
    target_value       VARCHAR(8192) NOT NULL,
    include_subdomains BOOLEAN       NOT NULL,
    host_hint          VARCHAR(253),
    -- The active RESTRICT the target is enforced under (cited in DNS answers); when that one is
    -- cancelled while another still names the target, the other one (an UPDATE change).
    directive_id       BIGINT        NOT NULL REFERENCES directive (id),
    -- The serial at which the target entered the set; citing another directive does not move it.
    since_serial       BIGINT        NOT NULL
);

-- UPDATE: the target stays restricted, from this serial on under the change's directive.
ALTER TABLE blocklist_change DROP CONSTRAINT blocklist_change_operation_known;
ALTER TABLE blocklist_change ADD CONSTRAINT blocklist_change_operation_known
    CHECK (operation IN ('ADD', 'REMOVE', 'UPDATE'));

-- The set as it stands: every target of an active RESTRICT, under the earliest such directive.
INSERT INTO blocklist_entry (key_sha256, target_key, kind, target_value, include_subdomains, host_hint,
                             directive_id, since_serial)
SELECT t.key_sha256, t.target_key, t.kind, t.target_value, t.include_subdomains, t.host_hint, d.id,
       COALESCE(d.blocklist_serial, 0)
FROM directive_target t JOIN directive d ON d.id = t.directive_id
WHERE d.action = 'RESTRICT' AND d.status = 'ACTIVE'
  AND d.id = (SELECT MIN(d2.id) FROM directive_target t2 JOIN directive d2 ON d2.id = t2.directive_id
              WHERE t2.key_sha256 = t.key_sha256 AND d2.action = 'RESTRICT' AND d2.status = 'ACTIVE')
  AND t.position = (SELECT MIN(t3.position) FROM directive_target t3
                    WHERE t3.directive_id = d.id AND t3.key_sha256 = t.key_sha256);
