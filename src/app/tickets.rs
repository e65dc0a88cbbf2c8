//! The door: what taking a ticket does, and checking in for a booking. Where a ticket
//! stands once taken is [`super::ticket_status`]'s.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::app::events::{Events, LocationEvent};
use crate::app::message_queue::{self, AppointmentFacts};
use crate::app::ticket_status::estimate;
use crate::app::visit::{self, Details, Visit, VisitAsked};
use crate::app::{auth, booking, catalogue};
use crate::domain::booking::{check_in_window, CheckIn, CheckInRefusal};
use crate::domain::hours::{is_open, next_opening};
use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Location, Service};
use crate::domain::queue::{local_day, TicketNumber, WaitingTicket};
use crate::domain::slots::Slot;
use crate::domain::visit::VisitLine;
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, AppResult};
use crate::messages::{Arg, Said};
use crate::store::tickets::{self, NewTicket};
use crate::store::{self, appointments, needs, organisations, queue, ticket_visits, DbConnection};

/// A ticket just taken.
#[derive(Debug, Clone)]
pub struct Issued {
    pub public_id: String,
    pub number: TicketNumber,
    pub location: Location,
    /// The errand it waits for: the visit's first.
    pub service: Service,
    /// Every errand of the visit, the first among them, in the citizen's order.
    pub errands: Vec<VisitLine<Service>>,
    pub issued_at: DateTime<Utc>,
    pub position: Option<u32>,
    pub estimated_wait_minutes: Option<u32>,
    /// The ticket as the calling rule sees it, for its place.
    waiting: WaitingTicket,
}

impl Issued {
    /// Counts the people ahead once the ticket is committed: outside the transaction, the
    /// queue's counter is not held while the count runs.
    fn placed(mut self, conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<Self> {
        let (position, wait) = estimate(
            conn,
            self.location.id,
            &self.waiting,
            queue::Counting::FromBack,
            now,
        )?;
        self.position = position;
        self.estimated_wait_minutes = wait;
        Ok(self)
    }
}

/// What the door answers a citizen who picks an errand.
#[derive(Debug, Clone)]
pub enum DoorAnswer {
    Ticket(Box<Issued>),
    /// The errand is done online; the citizen may still ask for help.
    SelfService {
        url: String,
    },
    /// The errand needs a booking; here are the next free times.
    NeedsBooking {
        slots: Vec<Slot>,
    },
    /// Closed now; opens next at this time (if within a fortnight).
    Closed {
        next_opening: Option<DateTime<Tz>>,
    },
}

impl DoorAnswer {
    fn outcome(&self, assisted: bool) -> &'static str {
        match self {
            Self::Ticket(_) => ticket_outcome(assisted),
            Self::SelfService { .. } => "self_service",
            Self::NeedsBooking { .. } => "needs_booking",
            Self::Closed { .. } => "closed",
        }
    }
}

/// Visitation at the door: a ticket for the visit (one errand or several, with the needs
/// the citizen states), or a clear reason why not. Every answer is recorded; a ticket is
/// announced to the location's displays.
pub fn take(
    conn: &mut DbConnection,
    events: &Events,
    location_slug: &str,
    asked: &VisitAsked,
    assist: bool,
    now: DateTime<Utc>,
) -> AppResult<DoorAnswer> {
    let answer = events.write(conn, |conn| {
        let location = catalogue::location(conn, location_slug)?;
        let visit = door_visit(conn, &location, asked)?;
        let service = visit.lines[0].service.clone();
        let answer = answer(conn, &location, &visit, assist, now)?;
        // A ticket's answer was recorded before its number was drawn.
        if !matches!(answer, DoorAnswer::Ticket(_)) {
            tickets::record_door(
                conn,
                location.id,
                Some(service.id),
                answer.outcome(assist),
                now,
            )?;
        }
        let event = match &answer {
            DoorAnswer::Ticket(t) => Some(LocationEvent {
                location: t.location.slug.to_string(),
                kind: "ticket.issued",
                number: t.number.to_string(),
                service: Some(t.service.spec.slug.to_string()),
                desk: None,
            }),
            _ => None,
        };
        Ok((answer, event))
    })?;
    match answer {
        DoorAnswer::Ticket(issued) => {
            Ok(DoorAnswer::Ticket(Box::new((*issued).placed(conn, now)?)))
        }
        refused => Ok(refused),
    }
}

/// The visit asked for at the door, checked against the location. One errand without
/// needs is read as it always was, in one statement.
fn door_visit(
    conn: &mut DbConnection,
    location: &Location,
    asked: &VisitAsked,
) -> AppResult<Visit> {
    if asked.listed || !asked.needs.is_empty() {
        return visit::resolve(conn, location, asked, Details::Required);
    }
    let slug = asked.first_service();
    let service = organisations::service_at(conn, location.id, slug)?
        .ok_or_else(|| visit::not_offered("service", slug, location))?;
    Ok(Visit::one(service))
}

/// The door's rule for a whole visit: closed is closed; an errand that needs a booking
/// sends the citizen to book; the visit is done online only when every errand is, since
/// otherwise the citizen comes to a desk anyway.
fn answer(
    conn: &mut DbConnection,
    location: &Location,
    visit: &Visit,
    assist: bool,
    now: DateTime<Utc>,
) -> AppResult<DoorAnswer> {
    let mut online = None;
    let mut all_online = true;
    for line in &visit.lines {
        match refusal(conn, location, &line.service, assist, now)? {
            Some(DoorAnswer::SelfService { url }) => {
                online.get_or_insert(DoorAnswer::SelfService { url });
            }
            Some(refused) => return Ok(refused),
            None => all_online = false,
        }
    }
    match online {
        Some(answer) if all_online => Ok(answer),
        _ => {
            // Recorded before the queue's counter is taken, so that the counter's lock is
            // held for no more statements than the ticket itself needs.
            let first = visit.lines[0].service.id;
            tickets::record_door(conn, location.id, Some(first), ticket_outcome(assist), now)?;
            issue(conn, location, visit, assist, None, now).map(|t| DoorAnswer::Ticket(Box::new(t)))
        }
    }
}

/// How the door's record names a ticket given.
fn ticket_outcome(assisted: bool) -> &'static str {
    if assisted {
        "assisted_ticket"
    } else {
        "ticket"
    }
}

/// The door's rule without taking a ticket: why the citizen would get none now, or
/// `None` when they would. The kiosk's menu shows these answers before a touch.
pub fn refusal(
    conn: &mut DbConnection,
    location: &Location,
    service: &Service,
    assist: bool,
    now: DateTime<Utc>,
) -> AppResult<Option<DoorAnswer>> {
    let today = now.with_timezone(&location.timezone).date_naive();
    let closures = organisations::closures_from(conn, location.id, today)?;
    if !is_open(now, location.timezone, &location.opening_hours, &closures) {
        let next = next_opening(
            now,
            location.timezone,
            &location.opening_hours,
            &closures,
            14,
        );
        return Ok(Some(DoorAnswer::Closed { next_opening: next }));
    }
    // A citizen who cannot book (or cannot wait for a time) is helped at a desk.
    if service.spec.booking.needs_booking() && !assist {
        let (_, free) = booking::slots(
            conn,
            location.slug.as_str(),
            service.spec.slug.as_str(),
            today,
            today + Duration::days(13),
            now,
        )?;
        return Ok(Some(DoorAnswer::NeedsBooking {
            slots: free.into_iter().take(3).collect(),
        }));
    }
    if let (Some(url), false) = (&service.spec.self_service_url, assist) {
        return Ok(Some(DoorAnswer::SelfService { url: url.clone() }));
    }
    Ok(None)
}

/// Draws the next number of the first errand's queue today. Only the queue's counter is
/// locked: tickets for other errands, bookings and calls at the location go on meanwhile.
/// The ticket's place is counted after the commit ([`Issued::placed`]).
fn issue(
    conn: &mut DbConnection,
    location: &Location,
    visit: &Visit,
    assisted: bool,
    appointment: Option<(i64, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> AppResult<Issued> {
    let service = &visit.lines[0].service;
    let day = local_day(now, location.timezone);
    let prefix = service.spec.queue_prefix;
    let seq = queue::draw_seq(conn, location.id, day, prefix)?;
    let number = TicketNumber::new(prefix, seq).map_err(AppError::Internal)?;
    let public_id = auth::random_token()[..32].to_owned();
    let ticket = tickets::insert(
        conn,
        &NewTicket {
            public_id: &public_id,
            location: location.id,
            service: service.id,
            local_day: day,
            number,
            assisted,
            appointment: appointment.map(|(id, _)| id),
            whole_visit: !visit.is_single(),
            now,
        },
    )?;
    let lines: Vec<VisitLine<ServiceId>> = visit
        .lines
        .iter()
        .map(|l| VisitLine {
            service: l.service.id,
            quantity: l.quantity,
        })
        .collect();
    ticket_visits::record(conn, ticket.id, &lines, &visit.needs)?;
    message_queue::ticket_event(conn, WebhookEvent::TicketIssued, &ticket, None, now)?;
    Ok(Issued {
        public_id,
        number,
        location: location.clone(),
        service: service.clone(),
        errands: visit.lines.clone(),
        issued_at: now,
        position: None,
        estimated_wait_minutes: None,
        waiting: WaitingTicket {
            id: ticket.id,
            service: service.id,
            queued_at: now,
            appointment_start: appointment.map(|(_, start)| start),
        },
    })
}

/// Checks a booking in at the kiosk (its QR code carries reference and token): the
/// appointment becomes a ticket in its errand's queue, called first once its time has come.
pub fn check_in(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Issued> {
    let issued = store::write(conn, |conn| {
        let record = booking::open(conn, reference, token)?;
        let (location, service) =
            organisations::location_and_service(conn, record.location, record.service)?;
        let on_time = check_in_window(record.status, record.starts_at, now, &service.spec.rules)
            .map_err(|r| check_in_refused(&r, location.timezone))?;
        // A latecomer's ticket is an ordinary walk-in: the booked time has passed.
        let appointment = (on_time == CheckIn::OnTime).then_some((record.id, record.starts_at));
        let visit = booked_visit(conn, &record, &location, service.clone())?;
        let issued = issue(conn, &location, &visit, false, appointment, now)?;
        appointments::check_in(conn, record.id, now)?;
        let facts = AppointmentFacts::of(&record, &location, &service);
        message_queue::appointment_event(conn, WebhookEvent::VisitCheckedIn, &facts, now)?;
        tickets::record_door(conn, location.id, Some(service.id), "check_in", now)?;
        Ok::<_, AppError>(issued)
    })?;
    issued.placed(conn, now)
}

/// The visit of a booking, as its ticket carries it: every errand and the needs stated.
fn booked_visit(
    conn: &mut DbConnection,
    record: &appointments::AppointmentRecord,
    location: &Location,
    first: Service,
) -> AppResult<Visit> {
    let lines = appointments::errands_of(conn, record)?;
    let needs = needs::stated(conn, record.id)?;
    if lines.len() == 1 && needs.is_empty() {
        return Ok(Visit::one(first));
    }
    let offered = organisations::services_at(conn, location.id)?;
    // An errand no longer offered here since the booking is left to the clerk.
    let lines = lines
        .into_iter()
        .filter_map(|l| {
            let service = offered.iter().find(|s| s.id == l.service)?.clone();
            Some(VisitLine {
                service,
                quantity: l.quantity,
            })
        })
        .collect();
    Ok(Visit {
        lines,
        needs,
        extra_minutes: 0,
    })
}

/// A refused check-in, with its reason and, when it is too early, the local time the
/// window opens: a kiosk says both in the citizen's language.
fn check_in_refused(refusal: &CheckInRefusal, zone: Tz) -> AppError {
    let mut extra = serde_json::Map::new();
    extra.insert("reason".into(), refusal.reason().into());
    let mut detail = refusal.to_string();
    let said = match refusal {
        CheckInRefusal::TooEarly(from) => {
            let local = from.with_timezone(&zone).to_rfc3339();
            detail = format!("{detail}; come back from {local}");
            extra.insert("check_in_from".into(), local.into());
            Said::with(
                "refusal.check_in_too_early",
                vec![("when", Arg::Moment(*from, zone))],
            )
        }
        CheckInRefusal::TooLate(minutes) => Said::with(
            "refusal.check_in_too_late",
            vec![("minutes", Arg::Plain(minutes.to_string()))],
        ),
        CheckInRefusal::NotBooked(status) => Said::with(
            "refusal.check_in_not_booked",
            vec![("status", Arg::Key(format!("status.appointment.{status}")))],
        ),
    };
    AppError::Conflict {
        detail: detail.into(),
        extra,
    }
    .saying(said)
}
