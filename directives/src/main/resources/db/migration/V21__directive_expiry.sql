-- A restriction for a period (seed 002 art. 21: a domain name banned for up to three months; a
-- directive's validUntil or restrictFor): when it ends. At that time the gateway lifts it itself,
-- with a RESTORE it signs with its own key, unless another directive still names the targets.
ALTER TABLE directive ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX directive_by_expiry ON directive (expires_at);
