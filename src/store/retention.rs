//! Blanking citizens' personal data after the retention period, one table at a time.
//! The rows stay, with their statuses and times, so the statistics stay too.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{appointments, outbox};
use super::{DbConnection, StoreResult};

/// Gives up the unsent mails of visits past the period and forgets their manage tokens:
/// a mail composed after the blanking would have no address, and a token is a key to
/// the booking that nobody needs any more.
pub fn outbox(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let old = || {
        appointments::table
            .filter(appointments::ends_at.lt(cutoff.naive_utc()))
            .select(appointments::id)
    };
    let dropped = diesel::update(
        outbox::table
            .filter(outbox::appointment_id.eq_any(old()))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null()),
    )
    .set(outbox::dropped_at.eq(now.naive_utc()))
    .execute(conn)?;
    diesel::update(
        outbox::table
            .filter(outbox::appointment_id.eq_any(old()))
            .filter(outbox::manage_token.is_not_null()),
    )
    .set(outbox::manage_token.eq(None::<String>))
    .execute(conn)?;
    Ok(dropped)
}

/// Blanks the citizen's name, e-mail and phone of appointments past the period.
pub fn appointments(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    Ok(diesel::update(
        appointments::table
            .filter(appointments::ends_at.lt(cutoff.naive_utc()))
            .filter(
                appointments::citizen_name
                    .is_not_null()
                    .or(appointments::citizen_email.is_not_null())
                    .or(appointments::citizen_phone.is_not_null()),
            ),
    )
    .set((
        appointments::citizen_name.eq(None::<String>),
        appointments::citizen_email.eq(None::<String>),
        appointments::citizen_phone.eq(None::<String>),
    ))
    .execute(conn)?)
}
