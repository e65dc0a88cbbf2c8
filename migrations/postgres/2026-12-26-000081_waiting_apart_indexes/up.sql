-- Every new ticket and every call reads the location's waiting checked-in appointments and
-- its waiting tickets of a whole visit, each kept in an index of its own because they are
-- few. With only the location and the status in them, these indexes seemed to SQLite's
-- planner, which has no statistics, no better than the waiting order's index, which holds
-- every waiting walk-in too; which of them it took depended on their order in the schema,
-- and with the waiting order's index built last (as the demo's load builds it) each ticket
-- and call read the whole queue. A third column compared in the query (the appointments'),
-- or every column the query reads (the visits', which SQLite then reads from the index
-- alone), makes each the better match whatever the order.
DROP INDEX tickets_waiting_appointments;
CREATE INDEX tickets_waiting_appointments ON tickets (location_id, status, whole_visit)
    WHERE appointment_id IS NOT NULL;
DROP INDEX tickets_waiting_visits;
CREATE INDEX tickets_waiting_visits
    ON tickets (location_id, status, service_id, queued_at, appointment_id, whole_visit)
    WHERE whole_visit;
