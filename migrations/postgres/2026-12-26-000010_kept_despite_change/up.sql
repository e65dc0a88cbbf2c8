-- When an administrator chose to keep a confirmed booking that a change of the location
-- (a closure, shorter hours, fewer desks, a desk out of order) left without room: it stands
-- as booked, the staff see that it was kept on purpose, and later changes do not ask about
-- it again.
ALTER TABLE appointments ADD COLUMN kept_despite_change_at TIMESTAMP;
