//! What issuing and calling read and write of a location's queue, each in a statement
//! whose cost does not grow with the queue: the day's counter of a queue, a count over
//! the waiting index, the first walk-in per priority, and the few checked-in appointments.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::schema::{appointments, ticket_counters, tickets};
use super::{native_result, DbConnection, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::queue::{TicketId, TicketStatus, WaitingTicket, WalkInsAhead, WalkInsBefore};

/// Draws the next number of a queue on a local day: one upsert that takes the counter's
/// row lock until the transaction ends, so numbers are gap-free and never repeat, and
/// writers to other queues do not wait.
pub fn draw_seq(
    conn: &mut DbConnection,
    location: LocationId,
    day: NaiveDate,
    prefix: char,
) -> StoreResult<u32> {
    let statement = diesel::insert_into(ticket_counters::table)
        .values((
            ticket_counters::location_id.eq(location.0),
            ticket_counters::local_day.eq(day),
            ticket_counters::prefix.eq(prefix.to_string()),
            ticket_counters::last_seq.eq(1),
        ))
        .on_conflict((
            ticket_counters::location_id,
            ticket_counters::local_day,
            ticket_counters::prefix,
        ))
        .do_update()
        .set(ticket_counters::last_seq.eq(ticket_counters::last_seq + 1))
        .returning(ticket_counters::last_seq);
    let seq: i32 = native_result(conn, statement)?;
    Ok(seq.max(0) as u32)
}

fn waiting() -> &'static str {
    TicketStatus::Waiting.into()
}

type Condition = Box<
    dyn BoxableExpression<tickets::table, <DbConnection as Connection>::Backend, SqlType = Bool>,
>;

fn before(b: &WalkInsBefore) -> Condition {
    let (my_queued_at, my_id) = (b.me.0.naive_utc(), b.me.1 .0);
    Box::new(
        tickets::service_id.eq(b.service.0).and(
            tickets::queued_at
                .lt(b.before.naive_utc())
                .or(tickets::queued_at.lt(b.tie_until.naive_utc()).and(
                    tickets::queued_at.lt(my_queued_at).or(tickets::queued_at
                        .eq(my_queued_at)
                        .and(tickets::id.lt(my_id))),
                )),
        ),
    )
}

/// How many waiting walk-ins of the location are `ahead`: a count over the waiting index.
pub fn count_walk_ins(
    conn: &mut DbConnection,
    location: LocationId,
    ahead: &WalkInsAhead,
) -> StoreResult<u32> {
    let whole: Vec<i64> = ahead.whole.iter().map(|s| s.0).collect();
    let mut conditions: Vec<Condition> = ahead.before.iter().map(before).collect();
    if !whole.is_empty() {
        conditions.push(Box::new(tickets::service_id.eq_any(whole)));
    }
    let Some(any) = conditions
        .into_iter()
        .reduce(|a, b| Box::new(a.or(b)) as Condition)
    else {
        return Ok(0);
    };
    let n: i64 = tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting()))
        .filter(tickets::appointment_id.is_null())
        .filter(any)
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The walk-in of these errands that has waited longest (ties to the lower id).
pub fn first_walk_in(
    conn: &mut DbConnection,
    location: LocationId,
    services: &[ServiceId],
) -> StoreResult<Option<WaitingTicket>> {
    let row: Option<(i64, i64, NaiveDateTime)> = tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting()))
        .filter(tickets::appointment_id.is_null())
        .filter(tickets::service_id.eq_any(services.iter().map(|s| s.0)))
        .order((tickets::queued_at, tickets::id))
        .select((tickets::id, tickets::service_id, tickets::queued_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, service, queued_at)| WaitingTicket {
        id: TicketId(id),
        service: ServiceId(service),
        queued_at: queued_at.and_utc(),
        appointment_start: None,
    }))
}

type WaitingRow = (i64, i64, NaiveDateTime, Option<NaiveDateTime>);

fn waiting_ticket((id, service, queued_at, start): WaitingRow) -> WaitingTicket {
    WaitingTicket {
        id: TicketId(id),
        service: ServiceId(service),
        queued_at: queued_at.and_utc(),
        appointment_start: start.map(|s| s.and_utc()),
    }
}

/// The location's waiting tickets that came from a checked-in booking.
pub fn waiting_appointments(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<WaitingTicket>> {
    let rows: Vec<WaitingRow> = tickets::table
        .inner_join(appointments::table)
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting()))
        .filter(tickets::appointment_id.is_not_null())
        .select((
            tickets::id,
            tickets::service_id,
            tickets::queued_at,
            appointments::starts_at.nullable(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(waiting_ticket).collect())
}

/// One ticket as the calling rule sees it, while it waits.
pub fn find_waiting(conn: &mut DbConnection, id: TicketId) -> StoreResult<Option<WaitingTicket>> {
    let row: Option<WaitingRow> = tickets::table
        .left_join(appointments::table)
        .filter(tickets::id.eq(id.0))
        .filter(tickets::status.eq(waiting()))
        .select((
            tickets::id,
            tickets::service_id,
            tickets::queued_at,
            appointments::starts_at.nullable(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(waiting_ticket))
}
