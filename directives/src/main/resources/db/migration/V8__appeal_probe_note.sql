-- What a probe noticed beyond its status, such as a body cut short at the size it hashes
-- ("truncated at 8388608 bytes"): evidence, like the rest of the probe.
ALTER TABLE appeal_probe ADD COLUMN note VARCHAR(1000);
