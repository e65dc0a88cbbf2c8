//! Where an interpreter was asked for: bookings and walk-in tickets whose citizen stated an
//! interpreter need, with the language, the time and the place.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{appointment_needs, appointments, ticket_needs, tickets};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::booking::AppointmentStatus;
use crate::domain::ids::LocationId;
use crate::domain::queue::TicketNumber;
use crate::domain::visit::NeedKind;

/// One interpreter asked for: by a booking (its start) or at the door (the ticket's issue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpreterNeed {
    pub location: LocationId,
    pub at: DateTime<Utc>,
    pub language: Option<String>,
    /// The walk-in ticket it was stated for; `None` for a booking.
    pub ticket: Option<TicketNumber>,
}

fn interpreter() -> &'static str {
    NeedKind::Interpreter.into()
}

/// The interpreters asked for at `locations` by bookings starting in `[from, to)` (not
/// cancelled) and by walk-in tickets of the local `day`; a checked-in booking's ticket is
/// the booking's.
pub fn asked(
    conn: &mut DbConnection,
    locations: &[LocationId],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    day: NaiveDate,
) -> StoreResult<Vec<InterpreterNeed>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let cancelled: &'static str = AppointmentStatus::Cancelled.into();
    let booked: Vec<(i64, NaiveDateTime, Option<String>)> = appointments::table
        .inner_join(appointment_needs::table)
        .filter(appointment_needs::kind.eq(interpreter()))
        .filter(appointments::location_id.eq_any(&places))
        .filter(appointments::starts_at.ge(from.naive_utc()))
        .filter(appointments::starts_at.lt(to.naive_utc()))
        .filter(appointments::status.ne(cancelled))
        .select((
            appointments::location_id,
            appointments::starts_at,
            appointment_needs::detail,
        ))
        .load(conn)?;
    let walk_ins: Vec<(i64, NaiveDateTime, Option<String>, String, i32)> = tickets::table
        .inner_join(ticket_needs::table)
        .filter(ticket_needs::kind.eq(interpreter()))
        .filter(tickets::location_id.eq_any(&places))
        .filter(tickets::local_day.eq(day))
        .filter(tickets::appointment_id.is_null())
        .select((
            tickets::location_id,
            tickets::issued_at,
            ticket_needs::detail,
            tickets::prefix,
            tickets::seq,
        ))
        .load(conn)?;
    let mut out: Vec<InterpreterNeed> = booked
        .into_iter()
        .map(|(location, at, language)| InterpreterNeed {
            location: LocationId(location),
            at: at.and_utc(),
            language,
            ticket: None,
        })
        .collect();
    for (location, at, language, prefix, seq) in walk_ins {
        let prefix = prefix
            .chars()
            .next()
            .ok_or_else(|| StoreError::Corrupt("empty prefix".into()))?;
        out.push(InterpreterNeed {
            location: LocationId(location),
            at: at.and_utc(),
            language,
            ticket: Some(
                TicketNumber::new(prefix, seq.max(0) as u32).map_err(StoreError::Corrupt)?,
            ),
        });
    }
    Ok(out)
}
