-- H2 only. H2 keeps a VARBINARY value inside its row, so every read of a directive row (each
-- foreign-key check of a target, change or entry citing it, each join) read the whole signed
-- document with it: a directive of 10,000 targets (about 700 KB) cost gigabytes of reads to store.
-- A BINARY LARGE OBJECT (BLOB) lives outside the row. PostgreSQL moves large BYTEA values out of the row by itself
-- (TOAST), so it needs no such step.
ALTER TABLE directive ALTER COLUMN document SET DATA TYPE BINARY LARGE OBJECT;
ALTER TABLE directive ALTER COLUMN signature SET DATA TYPE BINARY LARGE OBJECT;
