//! What staff do with a called ticket: start, finish (each errand of a visit its outcome),
//! transfer, park, mark a no-show, and take the last of these back.

use chrono::{DateTime, Utc};

use super::may_work_at;
use crate::app::events::{Events, LocationEvent};
use crate::app::message_queue;
use crate::domain::organisation::StaffUser;
use crate::domain::queue::{
    apply, errand_outcomes as check_outcomes, undo as undo_status, visit_outcome, ErrandLine,
    ErrandOutcomes, Outcome, StaffAction, UndoError,
};
use crate::domain::visit::VisitLine;
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, AppResult};
use crate::store::tickets::{self, Event, TicketRecord};
use crate::store::{self, appointments, organisations, ticket_visits, DbConnection};

/// How long after a finished visit its feedback mail goes: past the finish's undo, when the
/// citizen has left the office.
const FEEDBACK_MAIL_AFTER_MINUTES: i64 = 30;
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
        let ticket = ticket_at_hand(conn, staff, public_id)?;
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
        let ticket = ticket_at_hand(conn, staff, public_id)?;
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

/// The ticket `public_id` at a location where `staff` works, with its location locked: two
/// desks acting at once change one ticket one after the other.
fn ticket_at_hand(
    conn: &mut DbConnection,
    staff: &StaffUser,
    public_id: &str,
) -> AppResult<TicketRecord> {
    let ticket = tickets::find_public(conn, public_id)?
        .ok_or_else(|| AppError::not_found("there is no ticket with that id"))?;
    may_work_at(conn, staff, ticket.location)?;
    store::lock_location(conn, ticket.location)?;
    Ok(ticket)
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
