DROP INDEX tickets_waiting_visits;
CREATE INDEX tickets_waiting_visits ON tickets (location_id, status) WHERE whole_visit;
DROP INDEX tickets_waiting_appointments;
CREATE INDEX tickets_waiting_appointments ON tickets (location_id, status)
    WHERE appointment_id IS NOT NULL;
