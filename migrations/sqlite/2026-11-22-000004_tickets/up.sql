-- Places in a location's queues. Numbers restart each local day per queue (the service's
-- prefix); the unique key makes a duplicate number impossible even if the lock were lost.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Random and unguessable: the status page's address, free of personal data.
    public_id TEXT NOT NULL UNIQUE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    local_day DATE NOT NULL,
    prefix TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'parked', 'finished', 'no_show')),
    appointment_id BIGINT REFERENCES appointments(id) ON DELETE SET NULL,
    assisted BOOLEAN NOT NULL,
    -- The place in time a ticket keeps, also across transfers.
    queued_at TIMESTAMP NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    desk_id BIGINT REFERENCES desks(id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('resolved', 'referred')),
    called_at TIMESTAMP,
    finished_at TIMESTAMP,
    UNIQUE (location_id, local_day, prefix, seq)
);

-- Every staff action on a ticket or a desk, with who and when: the KPIs and the audit.
CREATE TABLE queue_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    ticket_id BIGINT REFERENCES tickets(id) ON DELETE CASCADE,
    desk_id BIGINT REFERENCES desks(id) ON DELETE SET NULL,
    staff_id BIGINT REFERENCES staff_users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX queue_events_location ON queue_events (location_id, at);
CREATE INDEX tickets_waiting ON tickets (location_id, status);

-- What the door answered: tickets, self-service, booking needed, closed (a KPI).
CREATE TABLE door_outcomes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT REFERENCES services(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('ticket', 'assisted_ticket', 'check_in', 'self_service', 'needs_booking', 'closed')),
    at TIMESTAMP NOT NULL
);
CREATE INDEX door_outcomes_location ON door_outcomes (location_id, at);
