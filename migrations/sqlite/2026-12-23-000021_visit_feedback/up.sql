-- A citizen's answer to the one question after a finished visit: once per visit (the
-- ticket is the visit at the desk), with its location and errand for the KPIs; the comment
-- is free text and so blanked by retention, the score stays.
CREATE TABLE visit_feedback (
    ticket_id BIGINT PRIMARY KEY NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    location_id BIGINT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    given_at TIMESTAMP NOT NULL
);
CREATE INDEX visit_feedback_given_at ON visit_feedback (location_id, given_at);
