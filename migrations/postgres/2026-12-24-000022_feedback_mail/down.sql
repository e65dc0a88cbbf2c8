ALTER TABLE appointments DROP COLUMN citizen_feedback_opt_in;
