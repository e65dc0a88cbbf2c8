-- Whether the citizen asked, when booking, for one mail after the visit with its feedback
-- question: nobody is asked by mail without saying yes.
ALTER TABLE appointments ADD COLUMN citizen_feedback_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
