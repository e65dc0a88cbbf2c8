-- Booked times. The manage token is stored only as a hash; the citizen's name, e-mail and
-- phone may be blanked by retention while the statistics stay.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    -- The end including the service's buffer: how long the desk is taken.
    blocks_until TIMESTAMP NOT NULL CHECK (blocks_until >= ends_at),
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'checked_in', 'no_show', 'completed')),
    citizen_name TEXT,
    citizen_email TEXT,
    citizen_phone TEXT,
    language TEXT NOT NULL CHECK (language IN ('da', 'en')),
    -- iCalendar SEQUENCE: raised on every change the citizen's calendar must follow.
    sequence INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX appointments_location_time ON appointments (location_id, starts_at);
CREATE INDEX appointments_email ON appointments (citizen_email, service_id);
