//! Calling a ticket to a desk: the next one it can serve, or one out of turn with a reason.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{desk, may_work_at};
use crate::app::events::{Events, LocationEvent};
use crate::app::message_queue;
use crate::domain::ids::{DeskId, ServiceId};
use crate::domain::organisation::{Desk, Service, StaffUser};
use crate::domain::queue::{
    apply, call_next as pick, may_call, priority_groups, DeskAbility, DeskView, StaffAction,
    TicketId, TicketStatus, WaitingTicket,
};
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, AppResult};
use crate::store::tickets::{self, Event, TicketRecord};
use crate::store::{self, organisations, queue, ticket_visits, DbConnection};

/// A ticket called to a desk.
#[derive(Debug, Clone)]
pub struct Called {
    pub ticket: TicketRecord,
    pub desk: Desk,
    pub location_slug: String,
}

impl Called {
    /// Tells the webhook endpoints that asked, in the call's transaction.
    fn tell_webhooks(&self, conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<()> {
        let desk = Some(self.desk.name.as_str());
        message_queue::ticket_event(conn, WebhookEvent::TicketCalled, &self.ticket, desk, now)?;
        Ok(())
    }

    /// What the displays and consoles are told.
    fn event(&self) -> LocationEvent {
        LocationEvent {
            location: self.location_slug.clone(),
            kind: "ticket.called",
            number: self.ticket.number.to_string(),
            service: None,
            desk: Some(self.desk.name.clone()),
        }
    }
}

/// Calls the next ticket this desk can serve, or `None` when nothing waits for it. The
/// location is locked first: two desks calling at once never get the same ticket.
pub fn call_next(
    conn: &mut DbConnection,
    staff: &StaffUser,
    id: DeskId,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<Option<Called>> {
    events.write(conn, |conn| {
        let desk = calling_desk(conn, staff, id)?;
        let services = organisations::services_at(conn, desk.location_id)?;
        let serves: HashSet<ServiceId> = services
            .iter()
            .filter(|s| desk.services.contains(&s.spec.slug))
            .map(|s| s.id)
            .collect();
        let priority: HashMap<ServiceId, i32> =
            services.iter().map(|s| (s.id, s.spec.priority)).collect();
        let view = DeskView {
            serves: &serves,
            priority: &priority,
        };
        // The first walk-in of each priority and the checked-in appointments decide the
        // call as the whole queue would, read from the index in a few rows.
        let mut shortlist = queue::waiting_appointments(conn, desk.location_id)?;
        for group in priority_groups(view) {
            shortlist.extend(queue::first_walk_in(conn, desk.location_id, &group)?);
        }
        shortlist.extend(whole_visits(conn, &desk, &services)?);
        let Some(next) = pick(view, now, &shortlist) else {
            return Ok((None, None));
        };
        let called = record_call(conn, staff, desk, next, None, now)?;
        let event = called.event();
        Ok((Some(called), Some(event)))
    })
}

/// The waiting tickets of a whole visit that `desk` may call: those it can take whole, and
/// those no open desk can, when it serves the errand they wait for.
fn whole_visits(
    conn: &mut DbConnection,
    desk: &Desk,
    services: &[Service],
) -> AppResult<Vec<WaitingTicket>> {
    let visits = ticket_visits::waiting(conn, desk.location_id)?;
    if visits.is_empty() {
        return Ok(Vec::new());
    }
    let serving = |d: &Desk| -> HashSet<ServiceId> {
        services
            .iter()
            .filter(|s| d.services.contains(&s.spec.slug))
            .map(|s| s.id)
            .collect()
    };
    let others: Vec<(HashSet<ServiceId>, Desk)> = organisations::desks_at(conn, desk.location_id)?
        .into_iter()
        .filter(|d| d.id != desk.id && d.state.calls_tickets() && !d.out_of_order)
        .map(|d| (serving(&d), d))
        .collect();
    let mine = serving(desk);
    let me = DeskAbility {
        serves: &mine,
        features: &desk.features,
    };
    let open: Vec<DeskAbility> = others
        .iter()
        .map(|(serves, d)| DeskAbility {
            serves,
            features: &d.features,
        })
        .chain([me])
        .collect();
    Ok(visits
        .into_iter()
        .filter(|t| may_call(me, &open, t))
        .map(|t| t.waiting)
        .collect())
}

/// The longest reason for calling a ticket out of turn that the audit keeps.
pub const REASON_MAX_CHARS: usize = 200;

/// Calls one waiting ticket to an open desk ahead of its turn — the citizen is unwell,
/// or came back for a forgotten paper — with the reason, recorded in the audit as a call
/// whose detail begins "out of turn:".
pub fn call_out_of_turn(
    conn: &mut DbConnection,
    staff: &StaffUser,
    public_id: &str,
    desk_id: DeskId,
    reason: &str,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<Called> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "say why this ticket is called out of turn",
        ));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(AppError::invalid_field(
            "reason",
            format!("at most {REASON_MAX_CHARS} characters"),
        ));
    }
    events.write(conn, |conn| {
        let desk = calling_desk(conn, staff, desk_id)?;
        let ticket = tickets::find_public(conn, public_id)?
            .filter(|t| t.location == desk.location_id)
            .ok_or_else(|| {
                AppError::not_found("there is no such ticket at this desk's location")
            })?;
        apply(ticket.status, StaffAction::Call).map_err(|e| AppError::conflict(e.to_string()))?;
        let detail = format!("out of turn: {reason}");
        let called = record_call(conn, staff, desk, ticket.id, Some(&detail), now)?;
        let event = called.event();
        Ok((called, Some(event)))
    })
}

/// The desk `id`, open to call tickets at a location where `staff` works, with its
/// location locked: two desks calling at once never get the same ticket.
fn calling_desk(conn: &mut DbConnection, staff: &StaffUser, id: DeskId) -> AppResult<Desk> {
    let desk = desk(conn, id)?;
    may_work_at(conn, staff, desk.location_id)?;
    if !desk.state.calls_tickets() {
        return Err(AppError::conflict(format!(
            "{} is {}; open it to call tickets",
            desk.name, desk.state
        )));
    }
    store::lock_location(conn, desk.location_id)?;
    Ok(desk)
}

/// Calls `ticket` to `desk`: stored, recorded in the audit with `detail`, and told to the
/// webhook endpoints that asked, all in the call's transaction.
fn record_call(
    conn: &mut DbConnection,
    staff: &StaffUser,
    desk: Desk,
    ticket: TicketId,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Called> {
    tickets::set_status(conn, ticket, TicketStatus::Called, Some(desk.id), None, now)?;
    tickets::record_event(
        conn,
        &Event {
            location: desk.location_id,
            ticket: Some(ticket),
            desk: Some(desk.id),
            staff: staff.id,
            action: "call",
            detail,
            at: now,
        },
    )?;
    let ticket = tickets::find_by_id(conn, ticket)?
        .ok_or_else(|| AppError::Internal("the called ticket vanished".into()))?;
    let location_slug = organisations::location_slug(conn, desk.location_id)?;
    let called = Called {
        ticket,
        desk,
        location_slug,
    };
    called.tell_webhooks(conn, now)?;
    Ok(called)
}
