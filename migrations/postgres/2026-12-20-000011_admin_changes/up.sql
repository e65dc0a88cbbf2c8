-- Administration in the browser. An audit line of a change keeps the changed thing as it
-- was and as it became. A location carries the version every change to it bumps, and who
-- made the last change and when, so that a form read at an older version is refused with
-- who changed it in between. A closure may close part of each of its days only: from a
-- time ("closes at 12 today"), until a time, or between the two.
ALTER TABLE audit_log ADD COLUMN before_change TEXT;
ALTER TABLE audit_log ADD COLUMN after_change TEXT;
ALTER TABLE locations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE locations ADD COLUMN changed_by TEXT;
ALTER TABLE locations ADD COLUMN changed_at TIMESTAMP;
ALTER TABLE closures ADD COLUMN closed_from TIME;
ALTER TABLE closures ADD COLUMN closed_until TIME;
