-- How an errand combines with others in one visit: the time each further unit takes (NULL:
-- its full duration), and how many of it one visit may hold. One, as every booking was.
ALTER TABLE services ADD COLUMN additional_minutes INTEGER;
ALTER TABLE services ADD COLUMN max_per_visit INTEGER NOT NULL DEFAULT 1;
