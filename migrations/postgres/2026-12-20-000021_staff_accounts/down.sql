DROP TABLE password_links;
ALTER TABLE desks DROP COLUMN changed_at;
ALTER TABLE desks DROP COLUMN changed_by;
ALTER TABLE desks DROP COLUMN version;
ALTER TABLE desks DROP COLUMN out_of_order;
ALTER TABLE staff_users DROP COLUMN changed_at;
ALTER TABLE staff_users DROP COLUMN changed_by;
ALTER TABLE staff_users DROP COLUMN version;
ALTER TABLE staff_users DROP COLUMN email;
