ALTER TABLE appointments DROP COLUMN kept_despite_change_at;
