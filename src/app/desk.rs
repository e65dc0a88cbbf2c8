//! The staff console's work: open, pause and close a desk; call the next ticket; act on a
//! called ticket. Every action is stored with who, where and when.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::app::events::{Events, LocationEvent};
use crate::app::message_queue;
use crate::domain::ids::{DeskId, LocationId, ServiceId};
use crate::domain::organisation::{Desk, DeskState, Role, Service, StaffUser};
use crate::domain::queue::{
    apply, call_next as pick, errand_outcomes as check_outcomes, may_call, priority_groups,
    undo as undo_status, visit_outcome, DeskAbility, DeskView, ErrandLine, ErrandOutcomes, Outcome,
    StaffAction, TicketStatus, UndoError, WaitingTicket,
};
use crate::domain::visit::VisitLine;
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, AppResult};
use crate::store::tickets::{self, Event, TicketRecord};
use crate::store::{self, appointments, organisations, queue, ticket_visits, DbConnection};

/// How long after a finished visit its feedback mail goes: past the finish's undo, when the
/// citizen has left the office.
const FEEDBACK_MAIL_AFTER_MINUTES: i64 = 30;

/// Who may work a desk.
pub const DESK_ROLES: &[Role] = &[Role::Staff, Role::Admin];

fn desk(conn: &mut DbConnection, id: DeskId) -> AppResult<Desk> {
    organisations::find_desk(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no desk {id}")))
}

/// Staff work at the locations the organisation lists for them (all, when it lists none);
/// administrators anywhere. The rule for acting at a desk, and for reading a location's
/// queue and desks.
pub fn may_work_at(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location: LocationId,
) -> AppResult<()> {
    if works_at(conn, staff, location)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} does not work at this location",
            staff.username
        )))
    }
}

/// Whether [`may_work_at`] lets the staff user work at `location`.
pub fn works_at(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location: LocationId,
) -> AppResult<bool> {
    Ok(staff.has_any_role(&[Role::Admin]) || store::staff::may_work_at(conn, staff.id, location)?)
}

/// Opens, pauses or closes a desk; returns it with its location's slug.
pub fn set_state(
    conn: &mut DbConnection,
    staff: &StaffUser,
    id: DeskId,
    state: DeskState,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<(Desk, String)> {
    events.write(conn, |conn| {
        let mut desk = desk(conn, id)?;
        may_work_at(conn, staff, desk.location_id)?;
        if desk.out_of_order && state.is_worked() {
            return Err(AppError::conflict(format!(
                "{} is out of order; an administrator can put it back in use",
                desk.name
            )));
        }
        organisations::set_desk_state(conn, id, state)?;
        let action: &'static str = state.into();
        tickets::record_event(
            conn,
            &Event {
                location: desk.location_id,
                ticket: None,
                desk: Some(id),
                staff: staff.id,
                action,
                detail: None,
                at: now,
            },
        )?;
        desk.state = state;
        let slug = organisations::location_slug(conn, desk.location_id)?;
        // The display's waiting estimates and the consoles' desk lists depend on open desks.
        let event = LocationEvent {
            location: slug.clone(),
            kind: "desk.changed",
            number: String::new(),
            service: None,
            desk: Some(desk.name.clone()),
        };
        Ok(((desk, slug), Some(event)))
    })
}

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
        let desk = desk(conn, id)?;
        may_work_at(conn, staff, desk.location_id)?;
        if !desk.state.calls_tickets() {
            return Err(AppError::conflict(format!(
                "{} is {}; open it to call tickets",
                desk.name, desk.state
            )));
        }
        store::lock_location(conn, desk.location_id)?;
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
        tickets::set_status(conn, next, TicketStatus::Called, Some(id), None, now)?;
        tickets::record_event(
            conn,
            &Event {
                location: desk.location_id,
                ticket: Some(next),
                desk: Some(id),
                staff: staff.id,
                action: "call",
                detail: None,
                at: now,
            },
        )?;
        let ticket = tickets::find_by_id(conn, next)?
            .ok_or_else(|| AppError::Internal("the called ticket vanished".into()))?;
        let (location, _) =
            organisations::location_and_service(conn, ticket.location, ticket.service)?;
        let called = Called {
            ticket,
            desk,
            location_slug: location.slug.to_string(),
        };
        called.tell_webhooks(conn, now)?;
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
        let desk = desk(conn, desk_id)?;
        may_work_at(conn, staff, desk.location_id)?;
        if !desk.state.calls_tickets() {
            return Err(AppError::conflict(format!(
                "{} is {}; open it to call tickets",
                desk.name, desk.state
            )));
        }
        store::lock_location(conn, desk.location_id)?;
        let ticket = tickets::find_public(conn, public_id)?
            .filter(|t| t.location == desk.location_id)
            .ok_or_else(|| {
                AppError::not_found("there is no such ticket at this desk's location")
            })?;
        apply(ticket.status, StaffAction::Call).map_err(|e| AppError::conflict(e.to_string()))?;
        tickets::set_status(
            conn,
            ticket.id,
            TicketStatus::Called,
            Some(desk_id),
            None,
            now,
        )?;
        let detail = format!("out of turn: {reason}");
        tickets::record_event(
            conn,
            &Event {
                location: desk.location_id,
                ticket: Some(ticket.id),
                desk: Some(desk_id),
                staff: staff.id,
                action: "call",
                detail: Some(&detail),
                at: now,
            },
        )?;
        let ticket = tickets::find_by_id(conn, ticket.id)?
            .ok_or_else(|| AppError::Internal("the called ticket vanished".into()))?;
        let location_slug = organisations::location_slug(conn, desk.location_id)?;
        let called = Called {
            ticket,
            desk,
            location_slug,
        };
        called.tell_webhooks(conn, now)?;
        let event = called.event();
        Ok((called, Some(event)))
    })
}

/// What staff ask of a ticket; a transfer names its errand by slug, and a finish of
/// several errands gives each (by slug) its outcome (`resolved`, `referred`).
#[derive(Debug, Clone)]
pub enum TicketRequest {
    Act(StaffAction),
    TransferTo(String),
    FinishErrands(Vec<(String, String)>),
}

/// Applies a staff action to a ticket, refusing with 409 when its state does not allow it.
pub fn act(
    conn: &mut DbConnection,
    staff: &StaffUser,
    public_id: &str,
    request: TicketRequest,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<Acted> {
    events.write(conn, |conn| {
        let ticket = tickets::find_public(conn, public_id)?
            .ok_or_else(|| AppError::not_found("there is no ticket with that id"))?;
        may_work_at(conn, staff, ticket.location)?;
        store::lock_location(conn, ticket.location)?;
        let mut errand_outcomes = None;
        let action = match &request {
            TicketRequest::Act(StaffAction::Finish(outcome)) => {
                let (overall, each) = finish_errands(conn, &ticket, Err(*outcome))?;
                errand_outcomes = each;
                StaffAction::Finish(overall)
            }
            TicketRequest::FinishErrands(given) => {
                let (overall, each) = finish_errands(conn, &ticket, Ok(given))?;
                errand_outcomes = each;
                StaffAction::Finish(overall)
            }
            TicketRequest::Act(action) => *action,
            TicketRequest::TransferTo(slug) => {
                let service = organisations::services_at(conn, ticket.location)?
                    .into_iter()
                    .find(|s| s.spec.slug.as_str() == slug)
                    .ok_or_else(|| {
                        AppError::invalid_field(
                            "service",
                            format!("'{slug}' is not offered at this location"),
                        )
                    })?;
                StaffAction::Transfer(service.id)
            }
        };
        let next = apply(ticket.status, action).map_err(|e| AppError::conflict(e.to_string()))?;
        let (name, outcome) = describe(action);
        match action {
            StaffAction::Transfer(service) => tickets::transfer(conn, ticket.id, service)?,
            _ => tickets::set_status(conn, ticket.id, next, None, outcome, now)?,
        }
        if let Some(each) = &errand_outcomes {
            ticket_visits::set_outcomes(conn, ticket.id, each)?;
        }
        let detail = match &request {
            TicketRequest::TransferTo(slug) => Some(slug.as_str()),
            TicketRequest::Act(_) | TicketRequest::FinishErrands(_) => outcome,
        };
        tickets::record_event(
            conn,
            &Event {
                location: ticket.location,
                ticket: Some(ticket.id),
                desk: ticket.desk,
                staff: staff.id,
                action: name,
                detail,
                at: now,
            },
        )?;
        let ticket = tickets::find_public(conn, public_id)?
            .ok_or_else(|| AppError::Internal("the ticket vanished".into()))?;
        if matches!(action, StaffAction::Finish(_)) {
            message_queue::ticket_event(conn, WebhookEvent::TicketFinished, &ticket, None, now)?;
            // After the undo window, and once the citizen has left the desk.
            if let Some(appointment) = appointments::feedback_mail_for(conn, ticket.id)? {
                let due = now + chrono::Duration::minutes(FEEDBACK_MAIL_AFTER_MINUTES);
                message_queue::feedback_mail(conn, appointment, &ticket.public_id, due, now)?;
            }
        }
        let (location, _) =
            organisations::location_and_service(conn, ticket.location, ticket.service)?;
        let acted = Acted {
            ticket,
            event: name,
            location_slug: location.slug.to_string(),
        };
        let event = acted.event(event_kind(name));
        Ok((acted, Some(event)))
    })
}

/// The outcome of a finished visit and, for a ticket of several errands, each errand's by
/// its position. One `outcome` (`Err`) finishes a ticket with one errand still open; a
/// list (`Ok`) must give every open errand its own. Bad input changes nothing: it is
/// refused before anything is written.
fn finish_errands(
    conn: &mut DbConnection,
    ticket: &TicketRecord,
    given: Result<&Vec<(String, String)>, Outcome>,
) -> AppResult<(Outcome, Option<ErrandOutcomes>)> {
    let recorded = ticket_visits::errands_of(conn, &[ticket.id])?.remove(&ticket.id);
    let errands = recorded.clone().unwrap_or_else(|| {
        vec![ticket_visits::TicketErrand {
            line: VisitLine::one(ticket.service),
            outcome: None,
        }]
    });
    let services = organisations::services_at(conn, ticket.location)?;
    let slugs: Vec<String> = errands
        .iter()
        .map(|e| {
            services
                .iter()
                .find(|s| s.id == e.line.service)
                .map_or_else(|| e.line.service.to_string(), |s| s.spec.slug.to_string())
        })
        .collect();
    let lines: Vec<ErrandLine> = errands
        .iter()
        .zip(&slugs)
        .map(|(e, slug)| ErrandLine {
            service: slug,
            done: e.outcome.is_some(),
        })
        .collect();
    let each = match given {
        Ok(given) => check_outcomes(&lines, given, true).map_err(AppError::invalid_fields)?,
        Err(outcome) => {
            let open: Vec<usize> = (0..lines.len()).filter(|i| !lines[*i].done).collect();
            match open.as_slice() {
                [only] => vec![(*only, outcome)],
                _ => {
                    return Err(AppError::invalid_field(
                        "outcomes",
                        format!(
                        "this ticket has several errands ({}): give each its outcome in outcomes",
                        slugs.join(", ")
                    ),
                    ))
                }
            }
        }
    };
    let overall = visit_outcome(errands.iter().enumerate().filter_map(|(at, e)| {
        e.outcome
            .or_else(|| each.iter().find(|(i, _)| *i == at).map(|(_, o)| *o))
    }));
    Ok((overall, recorded.map(|_| each)))
}

/// Takes back the ticket's no-show or finish within [`UNDO_WINDOW_SECONDS`] of it, when
/// the same person asks: the ticket is called, or being served, again. Recorded as `undo`
/// with the undone action as its detail.
///
/// [`UNDO_WINDOW_SECONDS`]: crate::domain::queue::UNDO_WINDOW_SECONDS
pub fn undo(
    conn: &mut DbConnection,
    staff: &StaffUser,
    public_id: &str,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<Acted> {
    events.write(conn, |conn| {
        let ticket = tickets::find_public(conn, public_id)?
            .ok_or_else(|| AppError::not_found("there is no ticket with that id"))?;
        may_work_at(conn, staff, ticket.location)?;
        store::lock_location(conn, ticket.location)?;
        let last = tickets::last_action(conn, ticket.id)?
            .ok_or_else(|| AppError::conflict(UndoError::NothingToUndo.to_string()))?;
        let before = undo_status(
            &last.action,
            ticket.status,
            now - last.at,
            last.staff == Some(staff.id),
        )
        .map_err(|e| AppError::conflict(e.to_string()))?;
        tickets::reopen(conn, ticket.id, before)?;
        ticket_visits::clear_outcomes(conn, ticket.id)?;
        tickets::record_event(
            conn,
            &Event {
                location: ticket.location,
                ticket: Some(ticket.id),
                desk: ticket.desk,
                staff: staff.id,
                action: "undo",
                detail: Some(&last.action),
                at: now,
            },
        )?;
        let ticket = tickets::find_public(conn, public_id)?
            .ok_or_else(|| AppError::Internal("the ticket vanished".into()))?;
        let location = organisations::location_slug(conn, ticket.location)?;
        let acted = Acted {
            ticket,
            event: "undo",
            location_slug: location,
        };
        let event = acted.event("ticket.changed");
        Ok((acted, Some(event)))
    })
}

/// A ticket after a staff action, and the action's event name.
#[derive(Debug, Clone)]
pub struct Acted {
    pub ticket: TicketRecord,
    pub event: &'static str,
    pub location_slug: String,
}

impl Acted {
    fn event(&self, kind: &'static str) -> LocationEvent {
        LocationEvent {
            location: self.location_slug.clone(),
            kind,
            number: self.ticket.number.to_string(),
            service: None,
            desk: None,
        }
    }
}

/// The live event of a staff action.
fn event_kind(action: &str) -> &'static str {
    match action {
        "recall" => "ticket.recalled",
        "start" => "ticket.started",
        "finish" => "ticket.finished",
        "no_show" => "ticket.no_show",
        "transfer" => "ticket.transferred",
        "park" => "ticket.parked",
        "return" => "ticket.returned",
        _ => "ticket.changed",
    }
}

/// The event's name, and the outcome a finish stores.
fn describe(action: StaffAction) -> (&'static str, Option<&'static str>) {
    match action {
        StaffAction::Call => ("call", None),
        StaffAction::Recall => ("recall", None),
        StaffAction::Start => ("start", None),
        StaffAction::Finish(outcome) => ("finish", Some(outcome.into())),
        StaffAction::NoShow => ("no_show", None),
        StaffAction::Transfer(_) => ("transfer", None),
        StaffAction::Park => ("park", None),
        StaffAction::Return => ("return", None),
    }
}
