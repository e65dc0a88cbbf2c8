DROP TABLE door_outcomes;
DROP TABLE tickets;
