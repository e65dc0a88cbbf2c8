DROP INDEX login_failures_last;
DROP TABLE login_failures;
