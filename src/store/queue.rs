//! What issuing and calling read and write of a location's queue, each in a statement
//! whose cost does not grow with the queue: the day's counter of a queue, a count over
//! the waiting index, the first walk-in per priority, and the few checked-in appointments.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};

use super::schema::{appointments, ticket_counters, tickets};
use super::{native_result, DbConnection, Dialect, StoreResult};
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

/// Which end of the queue a ticket is near, and so the cheaper way to count those ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// A ticket just issued: few came after it, so those ahead are the errands' waiting
    /// walk-ins less the few queued since each bound; the cost does not grow with the queue.
    FromBack,
    /// Any other: those ahead are counted on the waiting index.
    FromFront,
}

/// How many waiting walk-ins of the location are `ahead`.
pub fn count_walk_ins(
    conn: &mut DbConnection,
    location: LocationId,
    ahead: &WalkInsAhead,
    counting: Counting,
) -> StoreResult<u32> {
    let n = match counting {
        Counting::FromFront => count_from_front(conn, location, ahead)?,
        Counting::FromBack => count_from_back(conn, location, ahead)?,
    };
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

fn count_from_front(
    conn: &mut DbConnection,
    location: LocationId,
    ahead: &WalkInsAhead,
) -> StoreResult<i64> {
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
    Ok(tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting()))
        .filter(tickets::appointment_id.is_null())
        .filter(any)
        .count()
        .get_result(conn)?)
}

/// The errands' waiting walk-ins (kept by the database's triggers), less those of each
/// bounded errand that are not before its bound: each a range of the waiting index from
/// the bound on, which for a new ticket holds only the tickets issued since. One statement,
/// so that the sum and the counts see one state of the queue without a transaction of
/// their own.
///
/// Each errand's range is a count of its own, subtracted in SQL. As one count over the
/// errands' conditions joined by OR, PostgreSQL's planner, going by statistics taken
/// before a rush (a few waiting tickets among a year's), read every waiting ticket of the
/// location for each new ticket instead of one range per errand.
fn count_from_back(
    conn: &mut DbConnection,
    location: LocationId,
    ahead: &WalkInsAhead,
) -> StoreResult<i64> {
    let services: Vec<i64> = ahead
        .whole
        .iter()
        .chain(ahead.before.iter().map(|b| &b.service))
        .map(|s| s.0)
        .collect();
    if services.is_empty() {
        return Ok(0);
    }
    let counted: Ahead = native!(conn, |c| {
        let mut query = diesel::sql_query(from_back_sql(&*c, services.len(), ahead.before.len()))
            .into_boxed()
            .bind::<BigInt, _>(location.0)
            .bind::<Text, _>(waiting());
        for service in &services {
            query = query.bind::<BigInt, _>(*service);
        }
        for b in &ahead.before {
            query = query
                .bind::<BigInt, _>(b.service.0)
                .bind::<Timestamp, _>(b.before.naive_utc())
                .bind::<Timestamp, _>(b.tie_until.naive_utc())
                .bind::<Timestamp, _>(b.me.0.naive_utc())
                .bind::<BigInt, _>(b.me.1 .0);
        }
        query.get_result(c)
    })?;
    Ok(counted.ahead)
}

#[derive(QueryableByName)]
struct Ahead {
    #[diesel(sql_type = BigInt)]
    ahead: i64,
}

/// [`count_from_back`]'s statement in the connection's dialect: the location and the
/// status, the `services` summed, then five parameters for each of the `bounds`. A walk-in
/// of a bounded errand is not before its bound when it was queued from the bound on, and
/// not within the tie either, or not before `me` in it; each such count names the waiting
/// index's whole prefix, so both planners read one short range of it.
fn from_back_sql<D: Dialect>(_for: &D, services: usize, bounds: usize) -> String {
    let p = D::parameter;
    let listed: Vec<String> = (3..3 + services).map(p).collect();
    let mut sql = format!(
        "SELECT CAST(COALESCE((SELECT SUM(waiting) FROM waiting_walk_ins \
           WHERE location_id = {location} AND service_id IN ({listed})), 0) AS BIGINT)",
        location = p(1),
        listed = listed.join(", "),
    );
    for n in (0..bounds).map(|i| 3 + services + 5 * i) {
        sql.push_str(&format!(
            " - (SELECT COUNT(*) FROM tickets WHERE location_id = {location} \
               AND status = {status} AND appointment_id IS NULL AND service_id = {service} \
               AND queued_at >= {before} AND (queued_at >= {tie_until} \
               OR queued_at > {me} OR (queued_at = {me} AND id >= {my_id})))",
            location = p(1),
            status = p(2),
            service = p(n),
            before = p(n + 1),
            tie_until = p(n + 2),
            me = p(n + 3),
            my_id = p(n + 4),
        ));
    }
    sql + " AS ahead"
}

/// The walk-in of these errands that has waited longest (ties to the lower id), a ticket of
/// a whole visit apart. Each
/// errand's first is read on its own: the index is ordered within an errand, and a query
/// over several would sort all their waiting tickets.
pub fn first_walk_in(
    conn: &mut DbConnection,
    location: LocationId,
    services: &[ServiceId],
) -> StoreResult<Option<WaitingTicket>> {
    let mut first: Option<(NaiveDateTime, i64, i64)> = None;
    for service in services {
        let row: Option<(i64, i64, NaiveDateTime)> = tickets::table
            .filter(tickets::location_id.eq(location.0))
            .filter(tickets::status.eq(waiting()))
            .filter(tickets::service_id.eq(service.0))
            .filter(tickets::appointment_id.is_null())
            .filter(tickets::whole_visit.eq(false))
            .order((tickets::queued_at, tickets::id))
            .select((tickets::id, tickets::service_id, tickets::queued_at))
            .first(conn)
            .optional()?;
        if let Some((id, service, queued_at)) = row {
            let candidate = (queued_at, id, service);
            first = Some(first.map_or(candidate, |f| f.min(candidate)));
        }
    }
    Ok(first.map(|(queued_at, id, service)| WaitingTicket {
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

/// The location's waiting tickets that came from a checked-in booking, those of a whole
/// visit apart.
pub fn waiting_appointments(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<WaitingTicket>> {
    let rows: Vec<WaitingRow> = tickets::table
        .inner_join(appointments::table)
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting()))
        .filter(tickets::appointment_id.is_not_null())
        .filter(tickets::whole_visit.eq(false))
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
