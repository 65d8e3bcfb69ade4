-- The court decision a directive executes (seed 002 art. 21), as its signed document names it:
-- a RESTRICT that executes one is lifted only by a RESTORE citing a court decision, never upon an
-- appeal under the Rules of restoration; a RESTORE that cites one keeps it here too.
CREATE TABLE directive_court_decision (
    directive_id    BIGINT       PRIMARY KEY REFERENCES directive (id),
    court           VARCHAR(512) NOT NULL,
    decision_number VARCHAR(64)  NOT NULL,
    decided_on      DATE         NOT NULL
);
