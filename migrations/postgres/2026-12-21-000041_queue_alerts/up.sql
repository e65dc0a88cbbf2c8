-- Where each errand's live queue alert stands at each location: raised when the expected
-- wait has stayed over the errand's target for a while, cleared when it has stayed well
-- under it as long. The two times of "since" are how long the wait has been over (while no
-- alert stands) or back under (while one does).
CREATE TABLE queue_alerts (
    location_id BIGINT NOT NULL REFERENCES locations (id),
    service_id BIGINT NOT NULL REFERENCES services (id),
    over_since TIMESTAMP,
    calm_since TIMESTAMP,
    raised_at TIMESTAMP,
    PRIMARY KEY (location_id, service_id)
);
