DROP TRIGGER tickets_walk_in_deleted;
DROP TRIGGER tickets_walk_in_joined;
DROP TRIGGER tickets_walk_in_left;
DROP TRIGGER tickets_walk_in_queued;
DROP TABLE waiting_walk_ins;
