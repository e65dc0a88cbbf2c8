//! Where a ticket stands: its place in the queue and the wait until it is called, its
//! public status, and a location's queue and board.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::app::queue_visits::{self, VisitShown};
use crate::app::{catalogue, desk};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::{Location, Service, StaffUser};
use crate::domain::queue::{
    appointments_ahead, estimated_wait_minutes, walk_ins_ahead, DeskView, RollingMean,
    TicketNumber, TicketStatus, WaitingTicket,
};
use crate::error::{AppError, AppResult};
use crate::messages::Said;
use crate::store::{organisations, queue, tickets, DbConnection};

/// People ahead of a waiting ticket and the minutes until it is called (`None` while no
/// desk is open for its errand): a count over the queue's index, never the queue itself.
pub(crate) fn estimate(
    conn: &mut DbConnection,
    location: LocationId,
    me: &WaitingTicket,
    counting: queue::Counting,
    now: DateTime<Utc>,
) -> AppResult<(Option<u32>, Option<u32>)> {
    let service = me.service;
    let services = organisations::services_at(conn, location)?;
    let by_slug: HashMap<&str, &Service> =
        services.iter().map(|s| (s.spec.slug.as_str(), s)).collect();
    let priority: HashMap<ServiceId, i32> =
        services.iter().map(|s| (s.id, s.spec.priority)).collect();
    let desks = organisations::desks_at(conn, location)?;
    let serving: Vec<_> = desks
        .iter()
        .filter(|d| {
            d.services
                .iter()
                .any(|s| by_slug.get(s.as_str()).is_some_and(|x| x.id == service))
        })
        .collect();
    let mut serves: HashSet<ServiceId> = serving
        .iter()
        .flat_map(|d| {
            d.services
                .iter()
                .filter_map(|s| by_slug.get(s.as_str()).map(|x| x.id))
        })
        .collect();
    serves.insert(service);
    let desk = DeskView {
        serves: &serves,
        priority: &priority,
    };
    let ahead = match walk_ins_ahead(me, desk, now) {
        Some(walk_ins) => {
            let appointments = queue::waiting_appointments(conn, location)?;
            let walk_ins = queue::count_walk_ins(conn, location, &walk_ins, counting)?;
            Some(walk_ins.saturating_add(appointments_ahead(me, desk, now, &appointments)))
        }
        None => None,
    };
    let open = serving.iter().filter(|d| d.state.calls_tickets()).count() as u32;
    let duration = services
        .iter()
        .find(|s| s.id == service)
        .map_or(10.0, |s| f64::from(s.spec.duration_minutes));
    let wait = ahead
        .and_then(|a| estimated_wait_minutes(a, RollingMean::new(duration).mean_minutes(), open));
    Ok((ahead, wait))
}

/// A ticket's public status.
#[derive(Debug, Clone)]
pub struct Status {
    pub number: TicketNumber,
    pub status: TicketStatus,
    pub location: Location,
    pub service: Service,
    pub position: Option<u32>,
    pub estimated_wait_minutes: Option<u32>,
    /// The desk's name while the ticket is called or being served there.
    pub desk: Option<String>,
}

pub fn status(conn: &mut DbConnection, public_id: &str, now: DateTime<Utc>) -> AppResult<Status> {
    let record = tickets::find_public(conn, public_id)?.ok_or_else(|| {
        AppError::not_found("there is no ticket with that id")
            .saying(Said::key("refusal.no_ticket"))
    })?;
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    let waiting = match record.status {
        TicketStatus::Waiting => queue::find_waiting(conn, record.id)?,
        _ => None,
    };
    let (position, estimated_wait_minutes) = match waiting {
        Some(me) => estimate(conn, record.location, &me, queue::Counting::FromFront, now)?,
        None => (None, None),
    };
    let desk = match (record.status, record.desk) {
        (TicketStatus::Called | TicketStatus::Serving, Some(id)) => {
            organisations::find_desk(conn, id)?.map(|desk| desk.name)
        }
        _ => None,
    };
    Ok(Status {
        number: record.number,
        status: record.status,
        location,
        service,
        position,
        estimated_wait_minutes,
        desk,
    })
}

/// The location's queue for a staff user who works there (see [`desk::may_work_at`]), with
/// each ticket's whole visit.
pub fn queue(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location_slug: &str,
) -> AppResult<(Location, Vec<(tickets::BoardEntry, VisitShown)>)> {
    let location = catalogue::location(conn, location_slug)?;
    desk::may_work_at(conn, staff, location.id)?;
    let entries = tickets::board(conn, location.id)?;
    let mut visits = queue_visits::of(conn, &location, &entries)?;
    let entries = entries
        .into_iter()
        .map(|e| {
            let visit = visits.remove(&e.id).unwrap_or_default();
            (e, visit)
        })
        .collect();
    Ok((location, entries))
}

/// The location's board: every waiting and called ticket.
pub fn board(
    conn: &mut DbConnection,
    location_slug: &str,
) -> AppResult<(Location, Vec<tickets::BoardEntry>)> {
    let location = catalogue::location(conn, location_slug)?;
    let entries = tickets::board(conn, location.id)?;
    Ok((location, entries))
}
