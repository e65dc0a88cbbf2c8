DROP INDEX booking_submissions_created;
DROP TABLE booking_submissions;
