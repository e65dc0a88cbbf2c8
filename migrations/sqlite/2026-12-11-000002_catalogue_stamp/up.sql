-- A random stamp that every change to the organisation's catalogue (locations, hours,
-- errands, closures, capacity, desks) replaces, in the changing transaction, whoever makes
-- it: an import, a desk opening, another server process, a hand-written statement. A
-- server keeps the catalogue in memory for the stamp it read, so a request checks one
-- small row instead of re-reading the organisation.
CREATE TABLE catalogue_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stamp TEXT NOT NULL
);
INSERT INTO catalogue_stamp (id, stamp) VALUES (1, lower(hex(randomblob(16))));
CREATE TRIGGER locations_insert_stamp AFTER INSERT ON locations
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER locations_update_stamp AFTER UPDATE ON locations
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER locations_delete_stamp AFTER DELETE ON locations
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER opening_hours_insert_stamp AFTER INSERT ON opening_hours
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER opening_hours_update_stamp AFTER UPDATE ON opening_hours
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER opening_hours_delete_stamp AFTER DELETE ON opening_hours
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER services_insert_stamp AFTER INSERT ON services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER services_update_stamp AFTER UPDATE ON services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER services_delete_stamp AFTER DELETE ON services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER departments_insert_stamp AFTER INSERT ON departments
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER departments_update_stamp AFTER UPDATE ON departments
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER departments_delete_stamp AFTER DELETE ON departments
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER location_services_insert_stamp AFTER INSERT ON location_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER location_services_update_stamp AFTER UPDATE ON location_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER location_services_delete_stamp AFTER DELETE ON location_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER closures_insert_stamp AFTER INSERT ON closures
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER closures_update_stamp AFTER UPDATE ON closures
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER closures_delete_stamp AFTER DELETE ON closures
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rules_insert_stamp AFTER INSERT ON capacity_rules
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rules_update_stamp AFTER UPDATE ON capacity_rules
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rules_delete_stamp AFTER DELETE ON capacity_rules
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rule_services_insert_stamp AFTER INSERT ON capacity_rule_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rule_services_update_stamp AFTER UPDATE ON capacity_rule_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER capacity_rule_services_delete_stamp AFTER DELETE ON capacity_rule_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desks_insert_stamp AFTER INSERT ON desks
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desks_update_stamp AFTER UPDATE ON desks
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desks_delete_stamp AFTER DELETE ON desks
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desk_services_insert_stamp AFTER INSERT ON desk_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desk_services_update_stamp AFTER UPDATE ON desk_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
CREATE TRIGGER desk_services_delete_stamp AFTER DELETE ON desk_services
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
