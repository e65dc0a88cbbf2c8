-- Failed sign-ins in a row, per account and per client address, for the back-off that
-- every server process on this database applies alike. The key is a SHA-256 hash of
-- `account:<username>` or `address:<ip>`: neither name nor address is kept in clear.
CREATE TABLE login_failures (
    key_hash TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    -- No sign-in is tried for this key before then.
    blocked_until TIMESTAMP
);
CREATE INDEX login_failures_last ON login_failures (last_failure_at);
