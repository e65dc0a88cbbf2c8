DROP TABLE desk_features;
DROP TABLE organisation_needs;
DROP TABLE appointment_needs;
DROP TABLE appointment_errands;
ALTER TABLE appointments DROP COLUMN quantity;
