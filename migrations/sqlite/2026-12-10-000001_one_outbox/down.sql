-- Back to the appointments' outbox and the waitlist's mail table, with the unsent mails of
-- each; SMS and webhook messages had no table before, and are not kept.
ALTER TABLE outbox RENAME TO messages;
DROP INDEX outbox_due;
DROP INDEX outbox_owner;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id BIGINT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'changed', 'cancelled', 'reminder')),
    due_at TIMESTAMP NOT NULL,
    manage_token TEXT,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP,
    dropped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

CREATE TABLE waitlist_mails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id) ON DELETE CASCADE,
    hold_id BIGINT REFERENCES waitlist_holds(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('joined', 'offer')),
    due_at TIMESTAMP NOT NULL,
    token TEXT,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP,
    dropped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX waitlist_mails_due ON waitlist_mails (due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

INSERT INTO outbox (appointment_id, kind, due_at, manage_token, attempts, last_error, created_at)
SELECT owner_id, event, due_at, secret, attempts, last_error, created_at
FROM messages
WHERE kind = 'mail' AND owner_kind = 'appointment' AND sent_at IS NULL AND dropped_at IS NULL
  AND owner_id IN (SELECT id FROM appointments)
ORDER BY id;

INSERT INTO waitlist_mails (entry_id, hold_id, kind, due_at, token, attempts, last_error, created_at)
SELECT owner_id, json_extract(payload, '$.hold'), event, due_at, secret, attempts, last_error, created_at
FROM messages
WHERE kind = 'mail' AND owner_kind = 'waitlist_entry' AND sent_at IS NULL AND dropped_at IS NULL
  AND owner_id IN (SELECT id FROM waitlist_entries)
  AND (json_extract(payload, '$.hold') IS NULL OR json_extract(payload, '$.hold') IN (SELECT id FROM waitlist_holds))
ORDER BY id;

DROP TABLE messages;
