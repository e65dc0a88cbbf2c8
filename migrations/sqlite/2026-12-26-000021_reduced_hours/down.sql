ALTER TABLE closures DROP COLUMN opening_hours;
