-- How citizens reach a location (a phone number, a mail address), kept by the
-- administration and the organisation file; empty when none is given.
ALTER TABLE locations ADD COLUMN contact TEXT NOT NULL DEFAULT '';
