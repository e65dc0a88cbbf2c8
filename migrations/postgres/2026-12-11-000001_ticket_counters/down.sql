CREATE INDEX tickets_waiting ON tickets (location_id, status);
DROP INDEX tickets_waiting_appointments;
DROP INDEX tickets_waiting_order;
DROP TABLE ticket_counters;
