-- Accounts kept in the browser: a staff user's mail address for the password-set link,
-- and who last changed the account and when, so that a second administrator's stale
-- save is refused with their name instead of overwriting it.
ALTER TABLE staff_users ADD COLUMN email TEXT;
ALTER TABLE staff_users ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN changed_by TEXT;
ALTER TABLE staff_users ADD COLUMN changed_at TIMESTAMP;
-- A desk out of order keeps its history and its place in the organisation, but is
-- offered to no one at the console and calls no tickets.
ALTER TABLE desks ADD COLUMN out_of_order BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE desks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE desks ADD COLUMN changed_by TEXT;
ALTER TABLE desks ADD COLUMN changed_at TIMESTAMP;
-- One-time links to set a password: only the token's hash is kept; a link works once,
-- and not after expires_at.
CREATE TABLE password_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_links_staff ON password_links (staff_id);
