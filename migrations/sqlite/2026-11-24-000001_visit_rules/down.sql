ALTER TABLE services DROP COLUMN late_arrival;
ALTER TABLE services DROP COLUMN check_in_grace_minutes;
ALTER TABLE services DROP COLUMN check_in_early_minutes;
ALTER TABLE services DROP COLUMN max_future_bookings;
ALTER TABLE services DROP COLUMN reminder_hours;
