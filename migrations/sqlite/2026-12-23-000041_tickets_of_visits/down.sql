DROP TABLE ticket_needs;
DROP TABLE ticket_errands;
DROP INDEX tickets_waiting_visits;
ALTER TABLE tickets DROP COLUMN whole_visit;
