-- A visit of several errands: the appointment's own errand stays its first line, with how
-- many of it (one, as every booking was); further errands follow in the citizen's order.
ALTER TABLE appointments ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1;
CREATE TABLE appointment_errands (
    appointment_id BIGINT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (appointment_id, position)
);

-- The needs a citizen stated for a visit (the interpreter's language in detail): personal
-- data, deleted by retention with the citizen's name.
CREATE TABLE appointment_needs (
    appointment_id BIGINT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (appointment_id, kind)
);

-- The needs an organisation offers, in the order citizens see them.
CREATE TABLE organisation_needs (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    name_da TEXT NOT NULL,
    name_en TEXT NOT NULL,
    extra_minutes INTEGER NOT NULL CHECK (extra_minutes >= 0),
    PRIMARY KEY (organisation_id, kind)
);

-- What a desk has that some citizens need: step_free, hearing_loop, quiet_room.
CREATE TABLE desk_features (
    desk_id BIGINT NOT NULL REFERENCES desks(id) ON DELETE CASCADE,
    feature TEXT NOT NULL,
    PRIMARY KEY (desk_id, feature)
);

-- Both are read from the catalogue kept in memory, so a change replaces its stamp.
CREATE TRIGGER organisation_needs_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_needs
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER desk_features_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desk_features
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
