ALTER TABLE locations DROP COLUMN contact;
