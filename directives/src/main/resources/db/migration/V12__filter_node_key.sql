-- The public key each filtering node signs its receipts with, registered by the authority: the
-- gateway believes what a node reports only through a receipt that verifies with its key here.
CREATE TABLE filter_node_key (
    node_id       VARCHAR(64)              PRIMARY KEY,
    public_key    VARCHAR(1000)            NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
