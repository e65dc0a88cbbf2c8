-- A desk's state (open, paused, closed) changes all day and is read fresh, never from the
-- catalogue kept in memory; only a change to anything else about a desk replaces the
-- catalogue stamp, so that opening a desk does not make every server read the catalogue
-- again. SQLite cannot compare whole rows: an update that leaves the state as it was
-- replaces the stamp (whatever columns come later), and one that changes the state does
-- so only when it changes a column the catalogue keeps as well.
DROP TRIGGER desks_update_stamp;
CREATE TRIGGER desks_update_stamp AFTER UPDATE ON desks
    WHEN OLD.state IS NEW.state OR OLD.id IS NOT NEW.id
        OR OLD.location_id IS NOT NEW.location_id OR OLD.name IS NOT NEW.name
        OR OLD.kind IS NOT NEW.kind OR OLD.active IS NOT NEW.active
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
