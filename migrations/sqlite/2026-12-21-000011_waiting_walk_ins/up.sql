-- How many walk-ins wait in each errand's queue at each location, kept by triggers in the
-- transaction of every change to a ticket, whoever makes it. A new ticket's place is this
-- number less the few queued after it, so it costs the same however long the queue is.
CREATE TABLE waiting_walk_ins (
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    waiting INTEGER NOT NULL CHECK (waiting >= 0),
    PRIMARY KEY (location_id, service_id)
);
INSERT INTO waiting_walk_ins (location_id, service_id, waiting)
    SELECT location_id, service_id, COUNT(*) FROM tickets
    WHERE status = 'waiting' AND appointment_id IS NULL
    GROUP BY location_id, service_id;
CREATE TRIGGER tickets_walk_in_queued AFTER INSERT ON tickets
    WHEN NEW.status = 'waiting' AND NEW.appointment_id IS NULL
    BEGIN
        INSERT INTO waiting_walk_ins (location_id, service_id, waiting)
            VALUES (NEW.location_id, NEW.service_id, 1)
            ON CONFLICT (location_id, service_id) DO UPDATE SET waiting = waiting + 1;
    END;
-- A ticket that is called, transferred, parked, given back or checked in leaves the count
-- it was in and joins the one it is in now; the two triggers of an update add up to nothing
-- when it waits where it waited.
CREATE TRIGGER tickets_walk_in_left AFTER UPDATE OF location_id, service_id, status, appointment_id ON tickets
    WHEN OLD.status = 'waiting' AND OLD.appointment_id IS NULL
    BEGIN
        UPDATE waiting_walk_ins SET waiting = waiting - 1
            WHERE location_id = OLD.location_id AND service_id = OLD.service_id;
    END;
CREATE TRIGGER tickets_walk_in_joined AFTER UPDATE OF location_id, service_id, status, appointment_id ON tickets
    WHEN NEW.status = 'waiting' AND NEW.appointment_id IS NULL
    BEGIN
        INSERT INTO waiting_walk_ins (location_id, service_id, waiting)
            VALUES (NEW.location_id, NEW.service_id, 1)
            ON CONFLICT (location_id, service_id) DO UPDATE SET waiting = waiting + 1;
    END;
CREATE TRIGGER tickets_walk_in_deleted AFTER DELETE ON tickets
    WHEN OLD.status = 'waiting' AND OLD.appointment_id IS NULL
    BEGIN
        UPDATE waiting_walk_ins SET waiting = waiting - 1
            WHERE location_id = OLD.location_id AND service_id = OLD.service_id;
    END;
