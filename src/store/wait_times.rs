//! What the open waiting times read: the tickets waiting now per errand, and the waits of
//! a local day's called tickets — counts and times, never who.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::tickets;
use super::{DbConnection, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::queue::TicketStatus;

/// How many tickets wait at the location now, per errand.
pub fn waiting_by_service(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<(ServiceId, u32)>> {
    let waiting: &'static str = TicketStatus::Waiting.into();
    let rows: Vec<(i64, i64)> = tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting))
        .group_by(tickets::service_id)
        .select((tickets::service_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(service, n)| (ServiceId(service), u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// When each ticket of the location's local day `day` was issued and called.
pub fn waits_of_day(
    conn: &mut DbConnection,
    location: LocationId,
    day: NaiveDate,
) -> StoreResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let rows: Vec<(NaiveDateTime, NaiveDateTime)> = tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::local_day.eq(day))
        .filter(tickets::called_at.is_not_null())
        .select((tickets::issued_at, tickets::called_at.assume_not_null()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(issued, called)| (issued.and_utc(), called.and_utc()))
        .collect())
}
