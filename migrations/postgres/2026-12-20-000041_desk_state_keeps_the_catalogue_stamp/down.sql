DROP TRIGGER desks_update_stamp ON desks;
DROP TRIGGER desks_stamp ON desks;
CREATE TRIGGER desks_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desks
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
