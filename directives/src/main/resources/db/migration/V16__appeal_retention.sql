-- When an appeal closed (REFUSED, or RESTORED once every recipient resumed), from which its
-- personal data are kept for the retention period (seed 002 art. 44), and when they were removed.
ALTER TABLE appeal ADD COLUMN closed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE appeal ADD COLUMN depersonalised_at TIMESTAMP WITH TIME ZONE;
-- Appeals closed before this column existed: their decision is the closest time known.
UPDATE appeal SET closed_at = decided_at WHERE status IN ('REFUSED', 'RESTORED');
CREATE INDEX appeal_by_closure ON appeal (closed_at);
