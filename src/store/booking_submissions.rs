//! Booking forms already answered (`booking_submissions`): the key of each, the booking it
//! made and that booking's manage token, sealed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::booking_submissions;
use super::{DbConnection, StoreResult};

/// The booking a form with this key made, and its sealed manage token.
pub fn find(conn: &mut DbConnection, key_hash: &str) -> StoreResult<Option<(i64, String)>> {
    Ok(booking_submissions::table
        .find(key_hash)
        .select((
            booking_submissions::appointment_id,
            booking_submissions::sealed_token,
        ))
        .first(conn)
        .optional()?)
}

/// Records the booking a form made; inside the transaction that made it.
pub fn record(
    conn: &mut DbConnection,
    key_hash: &str,
    appointment_id: i64,
    sealed_token: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(booking_submissions::table)
        .values((
            booking_submissions::key_hash.eq(key_hash),
            booking_submissions::appointment_id.eq(appointment_id),
            booking_submissions::sealed_token.eq(sealed_token),
            booking_submissions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
