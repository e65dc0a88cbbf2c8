-- Mail errors stored before they were redacted may quote a citizen's e-mail address (a
-- refusal such as `550 5.1.1 <name@example.org>`); the reason is worth less than the
-- address is private, so those errors are replaced.
UPDATE outbox SET last_error = 'refused (the error text held an address and was removed)'
    WHERE last_error LIKE '%@%';
UPDATE waitlist_mails SET last_error = 'refused (the error text held an address and was removed)'
    WHERE last_error LIKE '%@%';
