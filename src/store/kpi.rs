//! The facts behind the KPI report, read in a handful of queries: one row per ticket of
//! the period with its first call and last start taken by `GROUP BY` over the staff
//! actions, appointments and door answers counted per place, errand, instant and status,
//! and the desks' state changes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use super::schema::{
    appointments, departments, door_outcomes, queue_events, services, ticket_errands, tickets,
    visit_feedback,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::kpi::{
    AppointmentCount, CheckInNoShow, DeskChange, ErrandFact, FeedbackCount, Period,
    SelfServiceCount, ServiceInfo, TicketFact,
};
use crate::domain::organisation::parse_choice;
use crate::domain::queue::TicketStatus;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// Every errand with its department, channel and booking rule.
pub fn services(conn: &mut DbConnection) -> StoreResult<Vec<ServiceInfo>> {
    let rows: Vec<(i64, String, String, String, String)> = services::table
        .inner_join(departments::table)
        .select((
            services::id,
            services::slug,
            departments::slug,
            services::channel,
            services::booking,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, slug, department, channel, booking)| {
            Ok(ServiceInfo {
                id: ServiceId(id),
                slug,
                department,
                channel: parse_choice(&channel).map_err(StoreError::Corrupt)?,
                booking: parse_choice(&booking).map_err(StoreError::Corrupt)?,
            })
        })
        .collect()
}

/// Department slug and name.
type DepartmentName = (String, String);
/// Errand slug, Danish and English name.
type ServiceName = (String, String, String);

/// The names staff read: each department's, and each errand's in Danish and English.
pub fn names(conn: &mut DbConnection) -> StoreResult<(Vec<DepartmentName>, Vec<ServiceName>)> {
    let departments = departments::table
        .select((departments::slug, departments::name))
        .load(conn)?;
    let services = services::table
        .select((services::slug, services::name_da, services::name_en))
        .load(conn)?;
    Ok((departments, services))
}

type TicketRow = (
    i64,
    i64,
    i64,
    NaiveDateTime,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// A ticket's first and last time of one action.
type ActionTimes = (
    Option<i64>,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// The tickets of the period's local days at these locations, with their first call and
/// last start.
pub fn tickets(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<TicketFact>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let rows: Vec<TicketRow> = tickets::table
        .left_join(appointments::table)
        .filter(tickets::local_day.between(period.from, period.to))
        .filter(tickets::location_id.eq_any(&places))
        .select((
            tickets::id,
            tickets::location_id,
            tickets::service_id,
            tickets::issued_at,
            tickets::status,
            tickets::outcome,
            appointments::starts_at.nullable(),
            tickets::finished_at,
        ))
        .load(conn)?;

    // A ticket is called and served within a day of being issued.
    let (from, to) = period.utc_bounds();
    let times: Vec<ActionTimes> = queue_events::table
        .filter(queue_events::location_id.eq_any(&places))
        .filter(queue_events::at.ge(from.naive_utc()))
        .filter(queue_events::at.lt(to.naive_utc()))
        .filter(queue_events::ticket_id.is_not_null())
        .filter(queue_events::action.eq_any(["call", "start"]))
        .group_by((queue_events::ticket_id, queue_events::action))
        .select((
            queue_events::ticket_id,
            queue_events::action,
            min(queue_events::at),
            max(queue_events::at),
        ))
        .load(conn)?;
    let mut first_call = HashMap::new();
    let mut last_start = HashMap::new();
    for (ticket, action, first, last) in times {
        let Some(ticket) = ticket else { continue };
        if action == "call" {
            first_call.insert(ticket, first.map(utc));
        } else {
            last_start.insert(ticket, last.map(utc));
        }
    }

    let mut errands = errands(conn, period, &places)?;
    rows.into_iter()
        .map(
            |(id, location, service, issued_at, status, outcome, start, finished_at)| {
                Ok(TicketFact {
                    location: LocationId(location),
                    service: ServiceId(service),
                    issued_at: utc(issued_at),
                    status: parse_choice(&status).map_err(StoreError::Corrupt)?,
                    outcome: outcome
                        .map(|o| parse_choice(&o).map_err(StoreError::Corrupt))
                        .transpose()?,
                    appointment_start: start.map(utc),
                    first_call: first_call.get(&id).copied().flatten(),
                    last_start: last_start.get(&id).copied().flatten(),
                    finished_at: finished_at.map(utc),
                    errands: errands.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect()
}

/// The errands of the period's tickets of several, each with its outcome, by ticket.
fn errands(
    conn: &mut DbConnection,
    period: Period,
    places: &[i64],
) -> StoreResult<HashMap<i64, Vec<ErrandFact>>> {
    let rows: Vec<(i64, i64, Option<String>)> = ticket_errands::table
        .inner_join(tickets::table)
        .filter(tickets::local_day.between(period.from, period.to))
        .filter(tickets::location_id.eq_any(places))
        .order((ticket_errands::ticket_id, ticket_errands::position))
        .select((
            ticket_errands::ticket_id,
            ticket_errands::service_id,
            ticket_errands::outcome,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<ErrandFact>> = HashMap::new();
    for (ticket, service, outcome) in rows {
        let outcome = outcome
            .map(|o| parse_choice(&o).map_err(StoreError::Corrupt))
            .transpose()?;
        out.entry(ticket)
            .or_default()
            .push((ServiceId(service), outcome));
    }
    Ok(out)
}

/// Appointments starting near the period, counted per place, errand, start and status.
pub fn appointments(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<AppointmentCount>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let (from, to) = period.utc_bounds();
    let rows: Vec<(i64, i64, NaiveDateTime, String, i64)> = appointments::table
        .filter(appointments::location_id.eq_any(&places))
        .filter(appointments::starts_at.ge(from.naive_utc()))
        .filter(appointments::starts_at.lt(to.naive_utc()))
        .group_by((
            appointments::location_id,
            appointments::service_id,
            appointments::starts_at,
            appointments::status,
        ))
        .select((
            appointments::location_id,
            appointments::service_id,
            appointments::starts_at,
            appointments::status,
            count_star(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(location, service, starts_at, status, count)| {
            Ok(AppointmentCount {
                location: LocationId(location),
                service: ServiceId(service),
                starts_at: utc(starts_at),
                status: parse_choice(&status).map_err(StoreError::Corrupt)?,
                count: count.max(0) as u64,
            })
        })
        .collect()
}

/// Appointments starting near the period that checked in and then missed their call.
pub fn checked_in_no_shows(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<CheckInNoShow>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let (from, to) = period.utc_bounds();
    let no_show: &'static str = TicketStatus::NoShow.into();
    let rows: Vec<(i64, i64, NaiveDateTime, i64)> = appointments::table
        .inner_join(tickets::table)
        .filter(tickets::status.eq(no_show))
        .filter(appointments::location_id.eq_any(&places))
        .filter(appointments::starts_at.ge(from.naive_utc()))
        .filter(appointments::starts_at.lt(to.naive_utc()))
        .group_by((
            appointments::location_id,
            appointments::service_id,
            appointments::starts_at,
        ))
        .select((
            appointments::location_id,
            appointments::service_id,
            appointments::starts_at,
            count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(location, service, starts_at, count)| CheckInNoShow {
            location: LocationId(location),
            service: ServiceId(service),
            starts_at: utc(starts_at),
            count: count.max(0) as u64,
        })
        .collect())
}

/// Citizens the door sent to self-service near the period, counted per instant.
pub fn self_service(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<SelfServiceCount>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let (from, to) = period.utc_bounds();
    let rows: Vec<(i64, Option<i64>, NaiveDateTime, i64)> = door_outcomes::table
        .filter(door_outcomes::outcome.eq("self_service"))
        .filter(door_outcomes::location_id.eq_any(&places))
        .filter(door_outcomes::at.ge(from.naive_utc()))
        .filter(door_outcomes::at.lt(to.naive_utc()))
        .group_by((
            door_outcomes::location_id,
            door_outcomes::service_id,
            door_outcomes::at,
        ))
        .select((
            door_outcomes::location_id,
            door_outcomes::service_id,
            door_outcomes::at,
            count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(location, service, at, count)| SelfServiceCount {
            location: LocationId(location),
            service: service.map(ServiceId),
            at: utc(at),
            count: count.max(0) as u64,
        })
        .collect())
}

/// The answers given after visits in the period, one per visit, with the errands of a
/// visit of several; the comments are not read.
pub fn feedback(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<FeedbackCount>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let (from, to) = period.utc_bounds();
    let rows: Vec<(i64, i64, i64, NaiveDateTime, i32)> = visit_feedback::table
        .filter(visit_feedback::location_id.eq_any(&places))
        .filter(visit_feedback::given_at.ge(from.naive_utc()))
        .filter(visit_feedback::given_at.lt(to.naive_utc()))
        .select((
            visit_feedback::ticket_id,
            visit_feedback::location_id,
            visit_feedback::service_id,
            visit_feedback::given_at,
            visit_feedback::score,
        ))
        .load(conn)?;
    let mut visits: HashMap<i64, Vec<ServiceId>> = HashMap::new();
    let tickets: Vec<i64> = rows.iter().map(|r| r.0).collect();
    // In chunks: SQLite binds at most 32,766 values to one statement.
    for chunk in tickets.chunks(10_000) {
        let errands: Vec<(i64, i64)> = ticket_errands::table
            .filter(ticket_errands::ticket_id.eq_any(chunk))
            .order((ticket_errands::ticket_id, ticket_errands::position))
            .select((ticket_errands::ticket_id, ticket_errands::service_id))
            .load(conn)?;
        for (ticket, service) in errands {
            visits.entry(ticket).or_default().push(ServiceId(service));
        }
    }
    rows.into_iter()
        .map(|(ticket, location, service, given_at, score)| {
            Ok(FeedbackCount {
                location: LocationId(location),
                service: ServiceId(service),
                errands: visits.remove(&ticket).unwrap_or_default(),
                given_at: utc(given_at),
                score: u8::try_from(score)
                    .map_err(|_| StoreError::Corrupt(format!("feedback score {score}")))?,
                count: 1,
            })
        })
        .collect()
}

/// The desks' opens, pauses and closes near the period, from a day before it (so a desk
/// opened the evening before is known to be open).
pub fn desk_changes(
    conn: &mut DbConnection,
    period: Period,
    locations: &[LocationId],
) -> StoreResult<Vec<DeskChange>> {
    let places: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let (from, to) = period.utc_bounds();
    let rows: Vec<(i64, Option<i64>, String, NaiveDateTime)> = queue_events::table
        .filter(queue_events::ticket_id.is_null())
        .filter(queue_events::action.eq_any(["open", "paused", "closed"]))
        .filter(queue_events::location_id.eq_any(&places))
        .filter(queue_events::at.ge(from.naive_utc()))
        .filter(queue_events::at.lt(to.naive_utc()))
        .select((
            queue_events::location_id,
            queue_events::desk_id,
            queue_events::action,
            queue_events::at,
        ))
        .order((queue_events::at, queue_events::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(location, desk, action, at)| {
            Some(DeskChange {
                location: LocationId(location),
                desk: desk?,
                open: action == "open",
                at: utc(at),
            })
        })
        .collect())
}
