//! Booking from a page's form, which may arrive more than once: Back and send again, a
//! double tap, the same form in two tabs. The form carries a random key; a second form with
//! the same key asking for the same booking gets the first booking back, never a second one.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::app::booking::{errands_of, locked_for, take, Booked, BookingRequest};
use crate::app::capacity::Except;
use crate::domain::meeting::Meeting;
use crate::error::{AppError, AppResult};
use crate::messages::Said;
use crate::store::{self, appointments, booking_submissions, organisations, DbConnection};

/// Books like [`crate::app::booking::book`], once per form key and request: a repeat gets
/// the booking the first one made, with its manage token. Repeats wait on the booked
/// day's lock like any booking, so the first has committed (and is found) before a repeat looks.
pub fn book_once(
    conn: &mut DbConnection,
    request: &BookingRequest,
    form_key: &str,
    now: DateTime<Utc>,
) -> AppResult<Booked> {
    let key = SubmissionKey::new(form_key, request)?;
    store::write(conn, |conn| {
        let cal = locked_for(conn, request, now)?;
        if let Some((id, sealed)) = booking_submissions::find(conn, &key.hash)? {
            return earlier(conn, id, key.unseal(&sealed)?);
        }
        let (id, booked) = take(
            conn,
            cal,
            request.start,
            &request.citizen,
            request.language,
            Except::default(),
            now,
        )?;
        let sealed = key.seal(&booked.token)?;
        booking_submissions::record(conn, &key.hash, id, &sealed, now.naive_utc())?;
        Ok(booked)
    })
}

/// The booking a form made before, as it was made.
fn earlier(conn: &mut DbConnection, id: i64, token: String) -> AppResult<Booked> {
    let record = appointments::find_by_id(conn, id)?
        .ok_or_else(|| AppError::Internal("a recorded booking form lost its booking".into()))?;
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    let errands = errands_of(conn, &record, &location)?;
    let meeting = Meeting::of_visit(
        errands.iter().map(|l| &l.service.spec),
        &record.reference,
        record.citizen_phone.as_deref(),
    );
    Ok(Booked {
        reference: record.reference,
        token,
        location,
        service,
        errands,
        start: record.starts_at,
        end: record.ends_at,
        meeting,
    })
}

/// A form's key bound to what the form asked for: the same key with another time or
/// another e-mail address is another booking.
struct SubmissionKey {
    hash: String,
    /// Seals the manage token; derived from the form's key, which is not stored.
    seal: [u8; 32],
}

impl SubmissionKey {
    fn new(form_key: &str, request: &BookingRequest) -> AppResult<Self> {
        let valid = form_key.len() == 64 && form_key.chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(AppError::invalid_field(
                "idempotency_key",
                "the form is damaged; open the booking page again",
            )
            .saying(Said::key("refusal.form_damaged")));
        }
        let asked = [
            form_key,
            &request.location,
            &request.visit.describe(),
            &request.start.to_rfc3339(),
            &request.citizen.email,
        ]
        .join("\n");
        Ok(Self {
            hash: hex::encode(Sha256::digest(format!("booking-form\n{asked}"))),
            seal: Sha256::digest(format!("seal\n{form_key}")).into(),
        })
    }

    fn seal(&self, token: &str) -> AppResult<String> {
        self.xor(token)
    }

    fn unseal(&self, sealed: &str) -> AppResult<String> {
        self.xor(sealed)
    }

    /// Sealing and unsealing are one XOR of the token's 32 bytes with the seal.
    fn xor(&self, hex_text: &str) -> AppResult<String> {
        let bytes = hex::decode(hex_text)
            .ok()
            .filter(|b| b.len() == self.seal.len())
            .ok_or_else(|| AppError::Internal("a manage token of another shape".into()))?;
        let out: Vec<u8> = bytes.iter().zip(self.seal).map(|(b, s)| b ^ s).collect();
        Ok(hex::encode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::booking::{Citizen, Language};

    fn request(start: &str, email: &str) -> BookingRequest {
        BookingRequest {
            location: "raadhuset".into(),
            visit: crate::app::visit::VisitAsked::one("pas"),
            start: start.parse().unwrap(),
            citizen: Citizen::parse("Ann", email, None).unwrap(),
            language: Language::Da,
        }
    }

    #[test]
    fn a_sealed_token_opens_only_with_the_forms_key() {
        let token = crate::app::auth::random_token();
        let asked = request("2027-03-31T08:00:00Z", "ann@example.dk");
        let key = SubmissionKey::new(&"a".repeat(64), &asked).unwrap();
        let sealed = key.seal(&token).unwrap();
        assert_ne!(sealed, token);
        assert_eq!(key.unseal(&sealed).unwrap(), token);
        let other = SubmissionKey::new(&"b".repeat(64), &asked).unwrap();
        assert_ne!(other.unseal(&sealed).unwrap(), token);
    }

    #[test]
    fn the_same_key_for_another_time_or_address_is_another_booking() {
        let form = "c".repeat(64);
        let hash = |start, email| {
            SubmissionKey::new(&form, &request(start, email))
                .unwrap()
                .hash
        };
        let first = hash("2027-03-31T08:00:00Z", "ann@example.dk");
        assert_eq!(first, hash("2027-03-31T08:00:00Z", "ann@example.dk"));
        assert_ne!(first, hash("2027-03-31T08:15:00Z", "ann@example.dk"));
        assert_ne!(first, hash("2027-03-31T08:00:00Z", "bo@example.dk"));
        assert!(SubmissionKey::new("short", &request("2027-03-31T08:00:00Z", "a@b.dk")).is_err());
    }
}
