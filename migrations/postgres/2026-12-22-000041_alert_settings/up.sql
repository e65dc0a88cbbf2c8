-- A location's own alert settings: how long a queue must stay over (or back under) its
-- target, and how far above the forecast arrivals must run, before the desks are told.
-- NULL takes the server's default.
ALTER TABLE locations ADD COLUMN alert_after_minutes INTEGER;
ALTER TABLE locations ADD COLUMN surge_alert_percent INTEGER;
-- Which rule raised a standing alert, and for a surge the arrivals of the hour before it
-- against the forecast of that hour.
ALTER TABLE queue_alerts ADD COLUMN cause TEXT;
ALTER TABLE queue_alerts ADD COLUMN surge_arrived INTEGER;
ALTER TABLE queue_alerts ADD COLUMN surge_expected INTEGER;
