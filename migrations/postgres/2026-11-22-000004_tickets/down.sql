DROP TABLE queue_events;
DROP TABLE door_outcomes;
DROP TABLE tickets;
