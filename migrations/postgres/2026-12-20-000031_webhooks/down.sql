DROP INDEX outbox_sequence;
ALTER TABLE outbox DROP COLUMN sequence;
DROP INDEX webhooks_organisation;
DROP TABLE webhooks;
