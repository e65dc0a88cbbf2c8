-- A period of reduced hours is a closure that leaves its days open in hours of its own:
-- each weekday's ranges as JSON, {"mon": ["10:00-12:00"]}; NULL for a closure.
ALTER TABLE closures ADD COLUMN opening_hours TEXT;
