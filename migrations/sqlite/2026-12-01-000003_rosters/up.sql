-- Planning: shift templates, contracts, absences and preferences; rosters, their shifts
-- and their required and planned desks per interval, and what publishing reserved.

CREATE TABLE shift_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    starts TIME NOT NULL,
    ends TIME NOT NULL CHECK (ends > starts),
    -- Unpaid breaks, local times as in the organisation file: "12:00-12:30,15:00-15:15".
    breaks TEXT NOT NULL,
    UNIQUE (organisation_id, slug)
);

-- None listed: the template is worked at every location.
CREATE TABLE shift_template_locations (
    template_id BIGINT NOT NULL REFERENCES shift_templates(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    PRIMARY KEY (template_id, location_id)
);

CREATE TABLE staff_contracts (
    staff_id BIGINT PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
    contract_minutes INTEGER NOT NULL CHECK (contract_minutes >= 0)
);

CREATE TABLE staff_absences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL CHECK (last_day >= first_day)
);
CREATE INDEX staff_absences_staff ON staff_absences (staff_id);

CREATE TABLE staff_preferred_shifts (
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    template_id BIGINT NOT NULL REFERENCES shift_templates(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, template_id)
);

CREATE TABLE rosters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL CHECK (last_day >= first_day),
    -- The waiting-time target as JSON: {"service_level":0.8,"within_minutes":10} or
    -- {"average_wait_minutes":4}.
    target TEXT NOT NULL,
    interval_minutes INTEGER NOT NULL CHECK (interval_minutes > 0),
    lower_bound DOUBLE NOT NULL,
    lp_relaxation DOUBLE NOT NULL,
    objective DOUBLE NOT NULL,
    gap DOUBLE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    booked_share DOUBLE,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);

CREATE TABLE roster_locations (
    roster_id BIGINT NOT NULL REFERENCES rosters(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    PRIMARY KEY (roster_id, location_id)
);

CREATE TABLE roster_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    roster_id BIGINT NOT NULL REFERENCES rosters(id) ON DELETE CASCADE,
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    template_slug TEXT NOT NULL,
    local_date DATE NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL CHECK (ends_at > starts_at)
);
CREATE INDEX roster_shifts_roster ON roster_shifts (roster_id);

-- booked_desks is set when the roster is published: the desks of the interval that take
-- appointments; the rest serve walk-ins.
CREATE TABLE roster_intervals (
    roster_id BIGINT NOT NULL REFERENCES rosters(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    forecast DOUBLE NOT NULL,
    required INTEGER NOT NULL CHECK (required >= 0),
    planned INTEGER NOT NULL CHECK (planned >= 0),
    simulated_wait_minutes DOUBLE NOT NULL,
    met BOOLEAN NOT NULL,
    booked_desks INTEGER CHECK (booked_desks >= 0),
    PRIMARY KEY (roster_id, location_id, starts_at)
);
CREATE INDEX roster_intervals_location ON roster_intervals (location_id, starts_at);
