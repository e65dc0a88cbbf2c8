-- Per errand: the reminder, how many future bookings one citizen may hold, and the
-- kiosk's check-in window with what happens to latecomers.
ALTER TABLE services ADD COLUMN reminder_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE services ADD COLUMN max_future_bookings INTEGER NOT NULL DEFAULT 2;
ALTER TABLE services ADD COLUMN check_in_early_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE services ADD COLUMN check_in_grace_minutes INTEGER NOT NULL DEFAULT 10;
ALTER TABLE services ADD COLUMN late_arrival TEXT NOT NULL DEFAULT 'walk_in';
