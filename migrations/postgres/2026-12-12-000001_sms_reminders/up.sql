-- Per errand: how its reminders go, as a comma-separated list of channels ('mail',
-- 'mail,sms'). Per appointment: whether the citizen asked for text messages; none is
-- sent without it, whatever the errand says.
ALTER TABLE services ADD COLUMN reminder_channels TEXT NOT NULL DEFAULT 'mail';
ALTER TABLE appointments ADD COLUMN citizen_sms_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
