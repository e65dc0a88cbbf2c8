//! Blanking citizens' personal data after the retention period, one table at a time.
//! The rows stay, with their statuses and times, so the statistics stay too.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{appointments, outbox, waitlist_entries, waitlist_mails};
use super::{DbConnection, StoreResult};
use crate::domain::rate_limit::Backoff;

/// Gives up the unsent mails of visits past the period and forgets their manage tokens and
/// errors: a mail composed after the blanking would have no address, a token is a key to
/// the booking that nobody needs any more, and an error from before errors were redacted
/// may quote the citizen's address. Returns the mails given up.
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
            .filter(
                outbox::manage_token
                    .is_not_null()
                    .or(outbox::last_error.is_not_null()),
            ),
    )
    .set((
        outbox::manage_token.eq(None::<String>),
        outbox::last_error.eq(None::<String>),
    ))
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

/// Gives up the unsent waitlist mails of entries past the period and forgets their tokens
/// and errors, as [`outbox`] does. Returns the mails given up.
pub fn waitlist_mails(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    // Entries whose dates all lie before the cutoff: there is no visit left to wait for.
    let old = || {
        waitlist_entries::table
            .filter(waitlist_entries::to_date.lt(cutoff.date_naive()))
            .select(waitlist_entries::id)
    };
    let dropped = diesel::update(
        waitlist_mails::table
            .filter(waitlist_mails::entry_id.eq_any(old()))
            .filter(waitlist_mails::sent_at.is_null())
            .filter(waitlist_mails::dropped_at.is_null()),
    )
    .set(waitlist_mails::dropped_at.eq(now.naive_utc()))
    .execute(conn)?;
    diesel::update(
        waitlist_mails::table
            .filter(waitlist_mails::entry_id.eq_any(old()))
            .filter(
                waitlist_mails::token
                    .is_not_null()
                    .or(waitlist_mails::last_error.is_not_null()),
            ),
    )
    .set((
        waitlist_mails::token.eq(None::<String>),
        waitlist_mails::last_error.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(dropped)
}

/// Blanks the name and e-mail of waitlist entries past the period.
pub fn waitlist_entries(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    Ok(diesel::update(
        waitlist_entries::table
            .filter(waitlist_entries::to_date.lt(cutoff.date_naive()))
            .filter(
                waitlist_entries::citizen_name
                    .is_not_null()
                    .or(waitlist_entries::citizen_email.is_not_null()),
            ),
    )
    .set((
        waitlist_entries::citizen_name.eq(None::<String>),
        waitlist_entries::citizen_email.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// Forgets the failed sign-ins counted for the back-off once no back-off could still use
/// them (its keys are hashes, but of client addresses and usernames).
pub fn login_failures(
    conn: &mut DbConnection,
    _cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let longest = Backoff::ACCOUNT
        .forget_after
        .max(Backoff::ADDRESS.forget_after);
    super::login_failures::forget_before(conn, now - longest)
}
