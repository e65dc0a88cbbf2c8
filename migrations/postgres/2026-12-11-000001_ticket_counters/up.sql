-- The last number drawn in each queue of a location on each local day: a new ticket takes
-- the next one with one upsert, so issuing costs the same however long the queue is.
CREATE TABLE ticket_counters (
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    local_day DATE NOT NULL,
    prefix TEXT NOT NULL,
    last_seq INTEGER NOT NULL CHECK (last_seq > 0),
    PRIMARY KEY (location_id, local_day, prefix)
);
INSERT INTO ticket_counters (location_id, local_day, prefix, last_seq)
    SELECT location_id, local_day, prefix, MAX(seq) FROM tickets
    GROUP BY location_id, local_day, prefix;

-- A waiting ticket's place is a count over this index, and a desk's next walk-in is the
-- first entry per errand: neither reads the whole queue.
CREATE INDEX tickets_waiting_order ON tickets (location_id, status, service_id, queued_at, id);
-- Checked-in appointments wait in their own groups; they are few, so they are read whole.
CREATE INDEX tickets_waiting_appointments ON tickets (location_id, status)
    WHERE appointment_id IS NOT NULL;
DROP INDEX tickets_waiting;
