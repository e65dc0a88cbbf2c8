-- The waitlist: citizens who found no suitable time, in the order they joined, for one
-- errand at one location over a range of local dates.
CREATE TABLE waitlist_entries (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    -- The secret to leave the list; only its hash is kept.
    token_hash TEXT NOT NULL,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    from_date DATE NOT NULL,
    to_date DATE NOT NULL CHECK (to_date >= from_date),
    citizen_name TEXT,
    citizen_email TEXT,
    language TEXT NOT NULL CHECK (language IN ('da', 'en')),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'booked', 'left')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX waitlist_entries_line ON waitlist_entries (location_id, status, id);

-- A freed time set aside for one entry until it is claimed or the hold lapses. A live hold
-- ('held' and not yet expired) takes capacity like an appointment.
CREATE TABLE waitlist_holds (
    id BIGSERIAL PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    -- The end including the service's buffer, as for appointments.
    blocks_until TIMESTAMP NOT NULL CHECK (blocks_until > starts_at),
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'claimed', 'lapsed', 'released')),
    appointment_id BIGINT REFERENCES appointments(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX waitlist_holds_live ON waitlist_holds (location_id, status, starts_at);
CREATE INDEX waitlist_holds_entry ON waitlist_holds (entry_id);

-- Mail to waitlisted citizens, written in the transaction that joins or offers, and sent
-- by the mail worker beside the appointments' outbox.
CREATE TABLE waitlist_mails (
    id BIGSERIAL PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id) ON DELETE CASCADE,
    hold_id BIGINT REFERENCES waitlist_holds(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('joined', 'offer')),
    due_at TIMESTAMP NOT NULL,
    -- The secret for the mail's link, known only while the request runs; cleared once sent.
    token TEXT,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP,
    dropped_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX waitlist_mails_due ON waitlist_mails (due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
