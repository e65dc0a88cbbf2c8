-- A waitlist entry for a visit of several errands, or with needs, waits for a time that
-- fits the whole visit. Its errands in the citizen's order, the entry's own errand the first
-- line; an entry without lines waits for one of its errand, as every entry before visits.
CREATE TABLE waitlist_entry_errands (
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (entry_id, position)
);

-- The needs the citizen stated (the interpreter's language in detail): personal data,
-- deleted by retention with the entry's name and address.
CREATE TABLE waitlist_entry_needs (
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (entry_id, kind)
);
