ALTER TABLE services DROP COLUMN meeting_url;
