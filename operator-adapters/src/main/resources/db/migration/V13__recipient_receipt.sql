-- What each recipient's `qaqpa pull --receipt` last said it holds, and the key the authority
-- registered for it to sign with: the gateway believes a receipt only through that key, and keeps
-- the latest one (the log's root it states judged against the gateway's own at that size).
CREATE TABLE recipient_receipt (
    recipient_id      VARCHAR(64)              PRIMARY KEY REFERENCES recipient (id),
    public_key        VARCHAR(1000)            NOT NULL,
    key_registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    receipt           VARCHAR(1000),
    signature         VARCHAR(200),
    agrees            BOOLEAN,
    received_at       TIMESTAMP WITH TIME ZONE
);
