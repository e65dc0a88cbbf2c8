-- The organisation model: who offers which errands where, when, at which desks, by whom.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (organisation_id, slug)
);

CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    slug TEXT NOT NULL,
    name_da TEXT NOT NULL,
    name_en TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    buffer_minutes INTEGER NOT NULL CHECK (buffer_minutes >= 0),
    channel TEXT NOT NULL CHECK (channel IN ('in_person', 'phone', 'video')),
    booking TEXT NOT NULL CHECK (booking IN ('required', 'optional', 'walk_in_only')),
    self_service_url TEXT,
    queue_prefix TEXT NOT NULL CHECK (length(queue_prefix) = 1),
    book_ahead_days INTEGER NOT NULL CHECK (book_ahead_days >= 0),
    min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes >= 0),
    slot_step_minutes INTEGER NOT NULL CHECK (slot_step_minutes > 0),
    priority INTEGER NOT NULL,
    what_to_bring_da TEXT,
    what_to_bring_en TEXT,
    UNIQUE (organisation_id, slug)
);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    -- Locations are addressed by slug alone in URLs, so slugs are unique across organisations.
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    timezone TEXT NOT NULL
);

CREATE TABLE location_services (
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (location_id, service_id)
);

-- Weekday 0 = Monday; times are local wall-clock times in the location's zone.
CREATE TABLE opening_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT REFERENCES services(id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens TIME NOT NULL,
    closes TIME NOT NULL CHECK (closes > opens)
);
CREATE INDEX opening_hours_location ON opening_hours (location_id);

CREATE TABLE closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL CHECK (last_day >= first_day),
    reason TEXT NOT NULL
);
CREATE INDEX closures_location ON closures (location_id, last_day);

CREATE TABLE desks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('counter', 'resource')),
    state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
    -- A desk dropped from the organisation file is kept for history, but inactive.
    active BOOLEAN NOT NULL,
    UNIQUE (location_id, name)
);

CREATE TABLE desk_services (
    desk_id BIGINT NOT NULL REFERENCES desks(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (desk_id, service_id)
);

CREATE TABLE capacity_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts TIME NOT NULL,
    ends TIME NOT NULL CHECK (ends > starts),
    desks INTEGER NOT NULL CHECK (desks > 0),
    desk_kind TEXT NOT NULL CHECK (desk_kind IN ('counter', 'resource'))
);
CREATE INDEX capacity_rules_location ON capacity_rules (location_id, weekday);

CREATE TABLE capacity_rule_services (
    rule_id BIGINT NOT NULL REFERENCES capacity_rules(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, service_id)
);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    home_location_id BIGINT REFERENCES locations(id) ON DELETE SET NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_roles (
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'staff')),
    PRIMARY KEY (staff_id, role)
);

CREATE TABLE staff_locations (
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, location_id)
);

CREATE TABLE staff_services (
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, service_id)
);

-- Only a hash of the session token is stored: a leaked table signs nobody in.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    staff_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Arrivals per location, service and 15-minute interval: the planner's history.
CREATE TABLE demand_history (
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    interval_start TIMESTAMP NOT NULL,
    walk_ins INTEGER NOT NULL,
    booked INTEGER NOT NULL,
    no_shows INTEGER NOT NULL,
    served INTEGER NOT NULL,
    service_seconds INTEGER NOT NULL,
    wait_seconds INTEGER NOT NULL,
    PRIMARY KEY (location_id, service_id, interval_start)
);
