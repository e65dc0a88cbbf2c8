DROP TABLE waitlist_entry_needs;
DROP TABLE waitlist_entry_errands;
