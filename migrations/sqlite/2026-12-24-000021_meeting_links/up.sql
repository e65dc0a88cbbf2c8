-- A video errand's meeting link, with placeholders such as {reference} that each booking
-- fills in; NULL: the errand has none (every errand until now).
ALTER TABLE services ADD COLUMN meeting_url TEXT;
