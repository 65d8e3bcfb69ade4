-- An appeal about a resource that more than one directive restricts (a site and its mirror, pages
-- ordered twice): the authority links it to each (seed 003 §5). appeal.directive_id stays the
-- directive it matched or was first linked to; every further one is a row here. Removal is checked
-- on the materials of all of them, each gets its own restoration order, and the appeal is RESTORED
-- once every RESTORE naming it has been acknowledged by every recipient.
CREATE TABLE appeal_further_directive (
    appeal_id    BIGINT                   NOT NULL REFERENCES appeal (id),
    directive_id BIGINT                   NOT NULL REFERENCES directive (id),
    -- The directive's target that restricts the appealed resource, when one names it.
    target       VARCHAR(4200),
    linked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT appeal_further_directive_once PRIMARY KEY (appeal_id, directive_id)
);
