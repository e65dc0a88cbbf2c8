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
-- A ticket that is called, transferred, parked, given back or checked in leaves the count
-- it was in and joins the one it is in now.
CREATE FUNCTION walk_in_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.status = 'waiting' AND OLD.appointment_id IS NULL THEN
            UPDATE waiting_walk_ins SET waiting = waiting - 1
                WHERE location_id = OLD.location_id AND service_id = OLD.service_id;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.status = 'waiting' AND NEW.appointment_id IS NULL THEN
            INSERT INTO waiting_walk_ins (location_id, service_id, waiting)
                VALUES (NEW.location_id, NEW.service_id, 1)
                ON CONFLICT (location_id, service_id)
                DO UPDATE SET waiting = waiting_walk_ins.waiting + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tickets_walk_in_queued AFTER INSERT ON tickets FOR EACH ROW
    WHEN (NEW.status = 'waiting' AND NEW.appointment_id IS NULL)
    EXECUTE FUNCTION walk_in_counted();
CREATE TRIGGER tickets_walk_in_moved
    AFTER UPDATE OF location_id, service_id, status, appointment_id ON tickets FOR EACH ROW
    WHEN ((OLD.status = 'waiting' AND OLD.appointment_id IS NULL)
        OR (NEW.status = 'waiting' AND NEW.appointment_id IS NULL))
    EXECUTE FUNCTION walk_in_counted();
CREATE TRIGGER tickets_walk_in_deleted AFTER DELETE ON tickets FOR EACH ROW
    WHEN (OLD.status = 'waiting' AND OLD.appointment_id IS NULL)
    EXECUTE FUNCTION walk_in_counted();
CREATE FUNCTION walk_ins_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM waiting_walk_ins;
    RETURN NULL;
END
$$;
CREATE TRIGGER tickets_walk_ins_truncated AFTER TRUNCATE ON tickets
    FOR EACH STATEMENT EXECUTE FUNCTION walk_ins_emptied();
