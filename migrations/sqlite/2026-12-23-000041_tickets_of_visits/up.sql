-- A ticket of several errands, or with a need that only some desks meet, is called only by
-- a desk that can take the whole visit: such tickets are few, so a desk reads them whole,
-- and not as the first walk-in of their errand.
ALTER TABLE tickets ADD COLUMN whole_visit BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX tickets_waiting_visits ON tickets (location_id, status) WHERE whole_visit;

-- The errands of a ticket that is more than one of one errand, in the citizen's order, each
-- with its own outcome. The ticket's own errand is the first line when it is issued; a
-- ticket without lines is one of its errand, as every ticket before visits.
CREATE TABLE ticket_errands (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    outcome TEXT CHECK (outcome IN ('resolved', 'referred')),
    PRIMARY KEY (ticket_id, position)
);

-- The needs a citizen stated at the door or for the booking it came from (the interpreter's
-- language in detail): personal data, shown to staff only and deleted by retention.
CREATE TABLE ticket_needs (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (ticket_id, kind)
);
