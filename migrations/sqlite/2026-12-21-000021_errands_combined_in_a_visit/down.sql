ALTER TABLE services DROP COLUMN max_per_visit;
ALTER TABLE services DROP COLUMN additional_minutes;
