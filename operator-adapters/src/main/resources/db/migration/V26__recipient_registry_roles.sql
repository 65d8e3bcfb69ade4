-- The .KZ/.ҚАЗ registry and the registrars (seed 000 §2, §17–26) are recipients too: the registry
-- receives the requests to suspend a domain name, a registrar the cases of the names it registered.
ALTER TABLE recipient DROP CONSTRAINT recipient_role_known;
ALTER TABLE recipient ADD CONSTRAINT recipient_role_known
    CHECK (role IN ('OPERATOR', 'STATE_TECHNICAL_SERVICE', 'REGISTRY', 'REGISTRAR'));
