DROP TRIGGER desks_update_stamp;
CREATE TRIGGER desks_update_stamp AFTER UPDATE ON desks
    BEGIN UPDATE catalogue_stamp SET stamp = lower(hex(randomblob(16))); END;
