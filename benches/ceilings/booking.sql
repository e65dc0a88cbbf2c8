-- One booking-shaped transaction: count what an indexed slot holds, insert, commit.
\set slot random(1, 100000)
BEGIN;
SELECT count(*) FROM ceiling_bookings WHERE slot = :slot;
INSERT INTO ceiling_bookings (slot, email) VALUES (:slot, 'borger@example.dk');
COMMIT;
