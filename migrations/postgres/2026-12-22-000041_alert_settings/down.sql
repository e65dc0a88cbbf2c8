ALTER TABLE queue_alerts DROP COLUMN surge_expected;
ALTER TABLE queue_alerts DROP COLUMN surge_arrived;
ALTER TABLE queue_alerts DROP COLUMN cause;
ALTER TABLE locations DROP COLUMN surge_alert_percent;
ALTER TABLE locations DROP COLUMN alert_after_minutes;
