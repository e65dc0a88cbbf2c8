-- One outbox for every outgoing message, whatever carries it (mail, SMS, webhook) and
-- whatever it belongs to, written in the same transaction as the change that causes it.
-- It replaces the appointments' outbox and the waitlist's mail table; their unsent
-- messages are carried over, the sent ones (kept only for their dates) are not.
ALTER TABLE outbox RENAME TO appointment_mails;
DROP INDEX outbox_due;
DROP INDEX waitlist_mails_due;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- How the message goes.
    kind TEXT NOT NULL CHECK (kind IN ('mail', 'sms', 'webhook')),
    -- What it belongs to ('appointment', 'waitlist_entry', …) and that row's id; a message
    -- whose owner is gone, or no longer needs it, is dropped when its turn comes.
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    -- What it tells of ('confirmation', 'reminder', 'offer', …), by its owner's words.
    event TEXT NOT NULL,
    -- A JSON object of what the message is composed from besides its owner; never
    -- personal data, which is read from the owner as the message goes.
    payload TEXT NOT NULL,
    -- The secret for the message's link, known only while the causing request runs;
    -- cleared once the message is sent or dropped.
    secret TEXT,
    due_at TIMESTAMP NOT NULL,
    -- Who is sending it and until when: another worker skips it until the lease runs out.
    lease TEXT,
    leased_until TIMESTAMP,
    attempts INTEGER NOT NULL,
    -- Why the last attempt failed, in words without an address or phone number.
    last_error TEXT,
    sent_at TIMESTAMP,
    -- Set when it will never go (its cause is gone, a permanent refusal, too many failures).
    dropped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
CREATE INDEX outbox_owner ON outbox (owner_kind, owner_id);

INSERT INTO outbox (kind, owner_kind, owner_id, event, payload, secret, due_at, attempts,
                    last_error, created_at)
SELECT 'mail', 'appointment', appointment_id, kind, '{}', manage_token, due_at, attempts,
       last_error, created_at
FROM appointment_mails
WHERE sent_at IS NULL AND dropped_at IS NULL
ORDER BY id;

INSERT INTO outbox (kind, owner_kind, owner_id, event, payload, secret, due_at, attempts,
                    last_error, created_at)
SELECT 'mail', 'waitlist_entry', entry_id, kind,
       CASE WHEN hold_id IS NULL THEN '{}' ELSE '{"hold":' || hold_id || '}' END,
       token, due_at, attempts, last_error, created_at
FROM waitlist_mails
WHERE sent_at IS NULL AND dropped_at IS NULL
ORDER BY id;

DROP TABLE appointment_mails;
DROP TABLE waitlist_mails;
