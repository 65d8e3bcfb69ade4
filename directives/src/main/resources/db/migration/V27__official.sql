-- Named officials of the authorised body (seed 002 art. 42–43: access control and the recording of
-- access events in a state information system). Each has roles; signs in to the console with a
-- password and a time-based one-time code, or calls the API with a token of its own, or presents a
-- client certificate of the authority's CA whose subject CN is its name. Secrets are stored only as
-- what cannot be turned back into them: the password as Argon2id, the token as SHA-256.
CREATE TABLE official (
    name              VARCHAR(64)              NOT NULL PRIMARY KEY,
    display_name      VARCHAR(200)             NOT NULL,
    -- Comma-separated OfficialRole names.
    roles             VARCHAR(200)             NOT NULL,
    -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
    password_hash     VARCHAR(256),
    -- RFC 6238 shared secret, Base32; the time step last accepted, so that one code is taken once.
    totp_secret       VARCHAR(64),
    totp_last_step    BIGINT,
    token_sha256      CHAR(64) UNIQUE,
    failed_signins    INT                      NOT NULL DEFAULT 0,
    locked_until      TIMESTAMP WITH TIME ZONE,
    disabled          BOOLEAN                  NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT official_name_form CHECK (name <> '')
);

-- Console sessions, shared by every gateway of one database: only the SHA-256 of the cookie is kept.
CREATE TABLE official_session (
    id_sha256   CHAR(64)                 NOT NULL PRIMARY KEY,
    official    VARCHAR(64)              NOT NULL REFERENCES official (name),
    csrf_token  VARCHAR(64)              NOT NULL,
    address     VARCHAR(64)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX official_session_of ON official_session (official);
CREATE INDEX audit_record_by ON audit_record (submitted_by, seq);
