DROP INDEX appointments_retention;
DROP INDEX queue_events_at;
DROP INDEX audit_log_at;
DROP TABLE audit_log;
