-- An appellant without a Kazakh IIN or BIN identifies with a foreign document (seed 003 §3 names
-- no nationality; many restricted resources are foreign): its type, number and issuing country.
ALTER TABLE appeal ADD COLUMN foreign_document_type    VARCHAR(24);
ALTER TABLE appeal ADD COLUMN foreign_document_number  VARCHAR(64);
ALTER TABLE appeal ADD COLUMN foreign_document_country CHAR(2);
