ALTER TABLE closures DROP COLUMN closed_until;
ALTER TABLE closures DROP COLUMN closed_from;
ALTER TABLE locations DROP COLUMN changed_at;
ALTER TABLE locations DROP COLUMN changed_by;
ALTER TABLE locations DROP COLUMN version;
ALTER TABLE audit_log DROP COLUMN after_change;
ALTER TABLE audit_log DROP COLUMN before_change;
