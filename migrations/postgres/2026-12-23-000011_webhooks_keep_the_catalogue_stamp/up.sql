-- Which endpoints asked for which events is read on every ticket and booking, from the
-- catalogue kept in memory: registering, changing or removing an endpoint replaces the
-- catalogue stamp. A delivery's outcome (state, last error, last delivery) changes all
-- day and is not read from memory, so it leaves the stamp as it is.
CREATE TRIGGER webhooks_stamp AFTER INSERT OR DELETE OR TRUNCATE ON webhooks
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER webhooks_update_stamp AFTER UPDATE OF id, organisation_id, events ON webhooks
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
