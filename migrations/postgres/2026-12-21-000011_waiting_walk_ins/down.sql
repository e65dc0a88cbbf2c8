DROP TRIGGER tickets_walk_ins_truncated ON tickets;
DROP FUNCTION walk_ins_emptied();
DROP TRIGGER tickets_walk_in_deleted ON tickets;
DROP TRIGGER tickets_walk_in_moved ON tickets;
DROP TRIGGER tickets_walk_in_queued ON tickets;
DROP FUNCTION walk_in_counted();
DROP TABLE waiting_walk_ins;
