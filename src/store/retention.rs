//! Blanking citizens' personal data after the retention period, one table at a time.
//! The rows stay, with their statuses and times, so the statistics stay too.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    appointment_needs, appointments, booking_submissions, outbox, ticket_needs, tickets,
    visit_feedback, waitlist_entries, waitlist_entry_needs,
};
use super::{DbConnection, StoreResult};
use crate::domain::outbox::OwnerKind;
use crate::domain::rate_limit::Backoff;

/// Gives up the unsent messages of visits and waitlist entries past the period and forgets
/// their secrets and errors: a message composed after the blanking would have no address, a
/// secret is a key to the booking that nobody needs any more, and an error from before
/// errors were redacted may quote the citizen's address. Returns the messages given up.
pub fn outbox(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let appointment: &'static str = OwnerKind::Appointment.into();
    let entry: &'static str = OwnerKind::WaitlistEntry.into();
    let old = || {
        let appointments = appointments::table
            .filter(appointments::ends_at.lt(cutoff.naive_utc()))
            .select(appointments::id);
        // Entries whose dates all lie before the cutoff: no visit is left to wait for.
        let entries = waitlist_entries::table
            .filter(waitlist_entries::to_date.lt(cutoff.date_naive()))
            .select(waitlist_entries::id);
        outbox::owner_kind
            .eq(appointment)
            .and(outbox::owner_id.eq_any(appointments))
            .or(outbox::owner_kind
                .eq(entry)
                .and(outbox::owner_id.eq_any(entries)))
    };
    let dropped = diesel::update(
        outbox::table
            .filter(old())
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null()),
    )
    .set((
        outbox::dropped_at.eq(now.naive_utc()),
        outbox::lease.eq(None::<String>),
        outbox::leased_until.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)?;
    diesel::update(
        outbox::table.filter(old()).filter(
            outbox::secret
                .is_not_null()
                .or(outbox::last_error.is_not_null()),
        ),
    )
    .set((
        outbox::secret.eq(None::<String>),
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

/// Deletes the needs stated for appointments past the period: that a citizen needed an
/// interpreter or a step-free desk is personal data like the name.
pub fn appointment_needs(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    let old = ended_before(cutoff.naive_utc());
    Ok(diesel::delete(
        appointment_needs::table.filter(appointment_needs::appointment_id.eq_any(old)),
    )
    .execute(conn)?)
}

/// Deletes the needs stated for tickets issued before the period: a ticket's visit ends
/// the day it is issued.
pub fn ticket_needs(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    let old = tickets::table
        .filter(tickets::issued_at.lt(cutoff.naive_utc()))
        .select(tickets::id);
    Ok(
        diesel::delete(ticket_needs::table.filter(ticket_needs::ticket_id.eq_any(old)))
            .execute(conn)?,
    )
}

/// Blanks the comments of feedback given before the cutoff: free text may say anything
/// about the citizen. The score stays, anonymous, for the KPIs.
pub fn visit_feedback(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    Ok(diesel::update(
        visit_feedback::table
            .filter(visit_feedback::given_at.lt(cutoff.naive_utc()))
            .filter(visit_feedback::comment.is_not_null()),
    )
    .set(visit_feedback::comment.eq(None::<String>))
    .execute(conn)?)
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

/// Deletes the needs stated on waitlist entries past the period, with their names.
pub fn waitlist_entry_needs(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    let old = waitlist_entries::table
        .filter(waitlist_entries::to_date.lt(cutoff.date_naive()))
        .select(waitlist_entries::id);
    Ok(diesel::delete(
        waitlist_entry_needs::table.filter(waitlist_entry_needs::entry_id.eq_any(old)),
    )
    .execute(conn)?)
}

/// Forgets the booking forms answered for visits past the period: each keeps its booking's
/// manage token (sealed), a key that nobody needs any more, like the outbox's.
pub fn booking_submissions(
    conn: &mut DbConnection,
    cutoff: DateTime<Utc>,
    _now: DateTime<Utc>,
) -> StoreResult<usize> {
    let old = ended_before(cutoff.naive_utc());
    Ok(diesel::delete(
        booking_submissions::table.filter(booking_submissions::appointment_id.eq_any(old)),
    )
    .execute(conn)?)
}

/// The appointments whose visit ended before `cutoff`.
#[diesel::dsl::auto_type(no_type_alias)]
fn ended_before(cutoff: NaiveDateTime) -> _ {
    appointments::table
        .filter(appointments::ends_at.lt(cutoff))
        .select(appointments::id)
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
