-- Errands kept in the browser: the version every save from the administration raises, and
-- who saved last and when, so that a second administrator's stale save is refused with
-- their name instead of overwriting it. An import of the organisation file raises it too
-- and leaves no name.
ALTER TABLE services ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN changed_by TEXT;
ALTER TABLE services ADD COLUMN changed_at TIMESTAMP;
