-- Administrators' changes (imports, passwords, later roster publishing), with who and when.
-- Staff actions on tickets and desks are in queue_events; the audit reads both.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    staff_id BIGINT REFERENCES staff_users(id) ON DELETE SET NULL,
    -- Who, as a name that outlives the user: a username, or `cli` for the command line.
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    -- What was changed: an organisation's or a user's slug, never a citizen's data.
    subject TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX queue_events_at ON queue_events (at);
-- Retention looks for visits past the period that still carry personal data.
CREATE INDEX appointments_retention ON appointments (ends_at) WHERE citizen_email IS NOT NULL OR citizen_name IS NOT NULL OR citizen_phone IS NOT NULL;
