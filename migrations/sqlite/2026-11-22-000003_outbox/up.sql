-- Mail to send, written in the same transaction as the change it tells of, so a booking is
-- never confirmed without its mail being queued, and a slow SMTP server never holds a booking.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    appointment_id BIGINT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('confirmation', 'changed', 'cancelled', 'reminder')),
    due_at TIMESTAMP NOT NULL,
    -- The manage token for the link in a confirmation or change mail, known only while the
    -- citizen's request runs; kept until the mail is sent, then cleared.
    manage_token TEXT,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP,
    -- Set when the mail will never go (a reminder for a cancelled booking, too many failures).
    dropped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
