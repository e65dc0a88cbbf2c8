-- The endpoints an administrator registered to be told of events, each delivered through
-- the outbox as a message of kind 'webhook' owned by its endpoint.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    url TEXT NOT NULL,
    -- The key deliveries are signed with; it has to be kept as given to sign.
    secret TEXT NOT NULL,
    -- The events it asked for, comma-separated ('appointment.booked,ticket.called').
    events TEXT NOT NULL,
    -- How its deliveries go: 'active' (nothing has failed since the last one went),
    -- 'retrying' (the last attempt failed and will be tried again), 'failed' (a delivery
    -- was given up after a day of attempts).
    state TEXT NOT NULL CHECK (state IN ('active', 'retrying', 'failed')),
    -- Why the last attempt failed, in words without an address.
    last_error TEXT,
    last_delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_organisation ON webhooks (organisation_id);

-- Messages that must go in order (the events of one appointment to one endpoint) share a
-- sequence: one is not sent while an earlier one of its sequence is still unsent.
ALTER TABLE outbox ADD COLUMN sequence TEXT;
CREATE INDEX outbox_sequence ON outbox (sequence, id)
    WHERE sequence IS NOT NULL AND sent_at IS NULL AND dropped_at IS NULL;
