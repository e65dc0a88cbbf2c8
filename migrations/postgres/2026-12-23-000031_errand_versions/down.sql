ALTER TABLE services DROP COLUMN changed_at;
ALTER TABLE services DROP COLUMN changed_by;
ALTER TABLE services DROP COLUMN version;
