//! Writes a generated past (the demo's year of tickets, bookings, staff actions and door
//! answers) as one bulk load inside the caller's transaction (see [`super::bulk`]), so that
//! a year takes seconds.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::max;
use diesel::prelude::*;

use super::bulk::{self, copy_in, Stamp};
use super::schema::{
    appointments, desks, door_outcomes, locations, organisations, queue_events, services,
    staff_users, tickets,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::demand::{PastDay, PastTicket};
use crate::domain::organisation::OrganisationSpec;

/// How many rows of each kind were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub tickets: usize,
    pub appointments: usize,
    pub staff_actions: usize,
}

fn stamp(t: DateTime<Utc>) -> Stamp {
    Stamp(t.naive_utc())
}

/// The row ids of one organisation's places, errands, desks and people, by name.
struct Ids {
    locations: HashMap<String, i64>,
    services: HashMap<String, i64>,
    /// By location id and desk name.
    desks: HashMap<(i64, String), i64>,
    staff: HashMap<String, i64>,
}

impl Ids {
    fn load(conn: &mut DbConnection, org: &str) -> StoreResult<Self> {
        let locations: HashMap<String, i64> = locations::table
            .inner_join(organisations::table)
            .filter(organisations::slug.eq(org))
            .select((locations::slug, locations::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let services = services::table
            .inner_join(organisations::table)
            .filter(organisations::slug.eq(org))
            .select((services::slug, services::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let ids: Vec<i64> = locations.values().copied().collect();
        let desks = desks::table
            .filter(desks::location_id.eq_any(&ids))
            .select((desks::location_id, desks::name, desks::id))
            .load::<(i64, String, i64)>(conn)?
            .into_iter()
            .map(|(l, name, id)| ((l, name), id))
            .collect();
        let staff = staff_users::table
            .inner_join(organisations::table)
            .filter(organisations::slug.eq(org))
            .select((staff_users::username, staff_users::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        Ok(Self {
            locations,
            services,
            desks,
            staff,
        })
    }

    fn get<K: std::hash::Hash + Eq + std::fmt::Debug>(
        map: &HashMap<K, i64>,
        key: &K,
    ) -> StoreResult<i64> {
        map.get(key)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("no row for {key:?}")))
    }
}

/// A queue event row: location, ticket, desk, person, action, detail, instant.
type EventRow = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    &'static str,
    Option<&'static str>,
    Stamp,
);

/// Writes `days` of organisation `spec`, whose places, errands, desks and staff exist.
/// Ticket and booking ids are given here, after the highest in use, so that the staff
/// actions can name their tickets without reading each row back.
pub fn insert(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    days: &[PastDay],
) -> StoreResult<Written> {
    let ids = Ids::load(conn, spec.slug.as_str())?;
    let mut next_ticket = tickets::table
        .select(max(tickets::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_booking = appointments::table
        .select(max(appointments::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let staff_id = |index: Option<usize>| -> StoreResult<Option<i64>> {
        index
            .map(|i| Ids::get(&ids.staff, &spec.staff[i].username))
            .transpose()
    };

    let mut bookings = Vec::new();
    let mut ticket_rows = Vec::new();
    let mut events: Vec<EventRow> = Vec::new();
    let mut doors = Vec::new();
    for day in days {
        let location = Ids::get(&ids.locations, &day.location.to_string())?;
        let place = spec
            .locations
            .iter()
            .find(|l| l.slug == day.location)
            .ok_or_else(|| StoreError::Corrupt(format!("no location {}", day.location)))?;
        let desk_id = |index: Option<usize>| -> StoreResult<Option<i64>> {
            index
                .map(|i| Ids::get(&ids.desks, &(location, place.desks[i].name.clone())))
                .transpose()
        };
        for session in &day.desks {
            let (desk, staff) = (desk_id(Some(session.desk))?, staff_id(session.staff)?);
            events.push((
                location,
                None,
                desk,
                staff,
                "open",
                None,
                stamp(session.opens),
            ));
            events.push((
                location,
                None,
                desk,
                staff,
                "closed",
                None,
                stamp(session.closes),
            ));
        }
        for (service, at) in &day.self_service {
            let service = Ids::get(&ids.services, &service.to_string())?;
            doors.push((location, Some(service), "self_service", stamp(*at)));
        }
        for visit in &day.visits {
            let service = Ids::get(&ids.services, &visit.service.to_string())?;
            let booking_id = visit.booking.as_ref().map(|b| {
                let id = next_booking;
                next_booking += 1;
                bookings.push((
                    appointments::id.eq(id),
                    appointments::reference.eq(b.reference.clone()),
                    appointments::token_hash.eq(format!("{id:064x}")),
                    appointments::location_id.eq(location),
                    appointments::service_id.eq(service),
                    appointments::starts_at.eq(stamp(b.starts_at)),
                    appointments::ends_at.eq(stamp(b.ends_at)),
                    appointments::blocks_until.eq(stamp(b.blocks_until)),
                    appointments::status.eq(<&'static str>::from(b.status)),
                    appointments::language.eq(b.language),
                    appointments::sequence.eq(0),
                    appointments::created_at.eq(stamp(b.created_at)),
                    appointments::updated_at.eq(stamp(b.updated_at)),
                ));
                id
            });
            let Some(t) = &visit.ticket else { continue };
            let id = next_ticket;
            next_ticket += 1;
            let (desk, staff) = (desk_id(t.desk)?, staff_id(t.staff)?);
            doors.push((
                location,
                Some(service),
                if booking_id.is_some() {
                    "check_in"
                } else {
                    "ticket"
                },
                stamp(t.queued_at),
            ));
            ticket_rows.push((
                tickets::id.eq(id),
                tickets::public_id.eq(t.public_id.clone()),
                tickets::location_id.eq(location),
                tickets::service_id.eq(service),
                tickets::local_day.eq(day.date),
                tickets::prefix.eq(t.prefix.to_string()),
                tickets::seq.eq(t.seq as i32),
                tickets::status.eq(<&'static str>::from(t.status)),
                tickets::appointment_id.eq(booking_id),
                tickets::assisted.eq(false),
                tickets::queued_at.eq(stamp(t.queued_at)),
                tickets::issued_at.eq(stamp(t.queued_at)),
                tickets::desk_id.eq(desk),
                tickets::outcome.eq(t.outcome.map(<&'static str>::from)),
                tickets::called_at.eq(Some(stamp(t.called_at))),
                tickets::finished_at.eq(Some(stamp(t.finished_at))),
            ));
            actions(location, id, desk, staff, t, &mut events);
        }
    }

    let events: Vec<_> = events
        .into_iter()
        .map(|(location, ticket, desk, staff, action, detail, at)| {
            (
                queue_events::location_id.eq(location),
                queue_events::ticket_id.eq(ticket),
                queue_events::desk_id.eq(desk),
                queue_events::staff_id.eq(staff),
                queue_events::action.eq(action),
                queue_events::detail.eq(detail),
                queue_events::at.eq(at),
            )
        })
        .collect();
    let doors: Vec<_> = doors
        .into_iter()
        .map(|(location, service, outcome, at)| {
            (
                door_outcomes::location_id.eq(location),
                door_outcomes::service_id.eq(service),
                door_outcomes::outcome.eq(outcome),
                door_outcomes::at.eq(at),
            )
        })
        .collect();
    bulk::load(conn, &LOADED, |conn| {
        let written = Written {
            appointments: copy_in!(&mut *conn, appointments::table, &bookings)?,
            tickets: copy_in!(&mut *conn, tickets::table, &ticket_rows)?,
            staff_actions: copy_in!(&mut *conn, queue_events::table, &events)?,
        };
        copy_in!(&mut *conn, door_outcomes::table, &doors)?;
        Ok(written)
    })
}

/// The tables a past is written to.
const LOADED: [&str; 4] = ["appointments", "tickets", "queue_events", "door_outcomes"];

/// The staff actions of one ticket, as the desk console records them.
fn actions(
    location: i64,
    ticket: i64,
    desk: Option<i64>,
    staff: Option<i64>,
    t: &PastTicket,
    out: &mut Vec<EventRow>,
) {
    let mut push = |action, detail, at: DateTime<Utc>| {
        out.push((
            location,
            Some(ticket),
            desk,
            staff,
            action,
            detail,
            stamp(at),
        ));
    };
    push("call", None, t.called_at);
    if let Some(at) = t.recalled_at {
        push("recall", None, at);
    }
    match t.started_at {
        Some(at) => {
            push("start", None, at);
            push("finish", t.outcome.map(<&'static str>::from), t.finished_at);
        }
        None => push("no_show", None, t.finished_at),
    }
}
