-- A desk's state (open, paused, closed) changes all day and is read fresh, never from the
-- catalogue kept in memory; only a change to anything else about a desk (its place, name,
-- kind, whether it is in use, and whatever columns come later) replaces the catalogue
-- stamp, so that opening a desk does not make every server read the catalogue again.
DROP TRIGGER desks_stamp ON desks;
CREATE TRIGGER desks_stamp AFTER INSERT OR DELETE OR TRUNCATE ON desks
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER desks_update_stamp AFTER UPDATE ON desks FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'state') IS DISTINCT FROM (to_jsonb(NEW) - 'state'))
    EXECUTE FUNCTION catalogue_changed();
