-- When the appellant acknowledged the notice of what personal data is collected, why and for how
-- long (seed 002 art. 44); every appeal registered from now on has it.
ALTER TABLE appeal ADD COLUMN personal_data_acknowledged_at TIMESTAMP WITH TIME ZONE;
-- Seed 003 §6: removal is confirmed on condition that the violations were eliminated ("бұзушылықтарды
-- жою") and the unlawful materials removed; the authority records the first apart from its findings.
ALTER TABLE appeal ADD COLUMN violations_eliminated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE appeal ADD COLUMN violations_note VARCHAR(2000);
