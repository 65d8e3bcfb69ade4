-- Anyone may give any address in an appeal, so notices that carry an appeal's details go only to an
-- address its holder has confirmed (a link mailed at registration); the appeal is registered either
-- way, since the legal clock runs from registration. Notices name the directive's own target, never
-- the appellant's text.
ALTER TABLE appeal ADD COLUMN target VARCHAR(4200);
ALTER TABLE appeal ADD COLUMN email_token_sha256 CHAR(64);
ALTER TABLE appeal ADD COLUMN email_confirmed_at TIMESTAMP WITH TIME ZONE;
-- Appeals from before confirmation existed have had their notices all along; they keep them.
UPDATE appeal SET email_confirmed_at = registered_at, target = resource;
CREATE INDEX appeal_notice_by_recipient ON appeal_notice (recipient, created_at);
ALTER TABLE appeal_notice DROP CONSTRAINT appeal_notice_kind_known;
ALTER TABLE appeal_notice ADD CONSTRAINT appeal_notice_kind_known
    CHECK (kind IN ('CONFIRM', 'REGISTERED', 'DECIDED', 'RESTORED', 'REMINDER'));
