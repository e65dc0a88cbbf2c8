-- Booking forms already answered, so that a form sent twice (Back, a double tap, two tabs)
-- gets the first booking's receipt instead of a second booking. The key is a SHA-256 hash
-- of the form's random key and what it asked for; the manage token is kept sealed with the
-- form's key, which only the citizen's browser holds.
CREATE TABLE booking_submissions (
    key_hash TEXT PRIMARY KEY NOT NULL,
    appointment_id BIGINT NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    sealed_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX booking_submissions_created ON booking_submissions (created_at);
