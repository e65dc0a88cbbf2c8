ALTER TABLE appointments DROP COLUMN citizen_sms_opt_in;
ALTER TABLE services DROP COLUMN reminder_channels;
