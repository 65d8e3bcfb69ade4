-- Every appeal is registered (seed 003 §3, §5: the 15 working days run from registration), also one
-- whose directive number or resource matches no directive in force: it waits as NEEDS_MATCHING,
-- without a directive, until the authority links it to the directive it is about.
ALTER TABLE appeal ALTER COLUMN directive_id DROP NOT NULL;
-- The directive number as the appellant wrote it, and why it matched no directive in force.
ALTER TABLE appeal ADD COLUMN cited_directive VARCHAR(64);
ALTER TABLE appeal ADD COLUMN unmatched VARCHAR(512);
UPDATE appeal SET cited_directive = (SELECT d.number FROM directive d WHERE d.id = appeal.directive_id);
ALTER TABLE appeal DROP CONSTRAINT appeal_status_known;
ALTER TABLE appeal ADD CONSTRAINT appeal_status_known
    CHECK (status IN ('NEEDS_MATCHING', 'REGISTERED', 'MONITORING', 'REMOVAL_CONFIRMED', 'REFUSED', 'RESTORED'));
