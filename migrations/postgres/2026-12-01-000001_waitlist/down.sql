DROP TABLE waitlist_mails;
DROP TABLE waitlist_holds;
DROP TABLE waitlist_entries;
