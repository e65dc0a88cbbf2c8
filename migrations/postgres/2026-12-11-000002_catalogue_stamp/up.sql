-- A random stamp that every change to the organisation's catalogue (locations, hours,
-- errands, closures, capacity, desks) replaces, in the changing transaction, whoever makes
-- it: an import, a desk opening, another server process, a hand-written statement. A
-- server keeps the catalogue in memory for the stamp it read, so a request checks one
-- small row instead of re-reading the organisation.
CREATE TABLE catalogue_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stamp TEXT NOT NULL
);
INSERT INTO catalogue_stamp (id, stamp) VALUES (1, md5(random()::text || clock_timestamp()::text));
CREATE FUNCTION catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_stamp SET stamp = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER locations_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER opening_hours_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON opening_hours
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER services_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER departments_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER location_services_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON location_services
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER closures_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closures
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER capacity_rules_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON capacity_rules
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER capacity_rule_services_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON capacity_rule_services
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER desks_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desks
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER desk_services_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desk_services
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
