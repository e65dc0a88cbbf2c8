//! Booking: free times, and taking one — with capacity enforced inside the transaction.

use chrono::{DateTime, NaiveDate, Utc};

use crate::app::auth;
use crate::app::capacity::{
    claim, free_in, lock_for, locked, visit_calendar, visit_calendar_of, Calendar, Except,
    MAX_SLOT_RANGE_DAYS,
};
use crate::app::message_queue::{self, AppointmentFacts, AppointmentNews};
use crate::app::visit::{self, lines_at, resolve, Details, Visit, VisitAsked};
use crate::app::waitlist_offers::{offer_freed, WaitlistSettings};
use crate::domain::booking::{new_reference, Citizen, Language};
use crate::domain::booking::{AppointmentStatus, MailKind};
use crate::domain::ids::ServiceId;
use crate::domain::meeting::{self, Meeting};
use crate::domain::organisation::{Location, Service};
use crate::domain::slots::Slot;
use crate::domain::visit::VisitLine;
use crate::domain::webhook::WebhookEvent;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::messages::{Arg, Said};
use crate::store::appointments::{self, AppointmentRecord, NewAppointment};
use crate::store::{self, capacity_lock, needs, organisations, DbConnection};

/// Free times for an errand at a location over local dates `from..=to`.
pub fn slots(
    conn: &mut DbConnection,
    location_slug: &str,
    service_slug: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(Location, Vec<Slot>)> {
    let (location, _, list) = visit_times(
        conn,
        location_slug,
        &VisitAsked::one(service_slug),
        from,
        to,
        now,
    )?;
    Ok((location, list))
}

/// Free times for a whole visit: where one desk that serves all its errands, and has what
/// its needs ask for, is free from its start to its end; with the visit as checked against
/// its location (its errands by name).
pub fn visit_times(
    conn: &mut DbConnection,
    location_slug: &str,
    asked: &VisitAsked,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(Location, Visit, Vec<Slot>)> {
    if to < from {
        return Err(AppError::invalid_field("to", "must not be before from")
            .saying(Said::key("refusal.days_reversed")));
    }
    if (to - from).num_days() >= MAX_SLOT_RANGE_DAYS {
        return Err(AppError::invalid_field(
            "to",
            format!("ask for at most {MAX_SLOT_RANGE_DAYS} days at a time"),
        )
        .saying(Said::with(
            "refusal.days_too_many",
            vec![("days", Arg::Plain(MAX_SLOT_RANGE_DAYS.to_string()))],
        )));
    }
    let location = crate::app::catalogue::location(conn, location_slug)?;
    // The times depend on the needs' kinds; the interpreter's language comes with the booking.
    let visit = resolve(conn, &location, asked, Details::Ignored)?;
    let cal = visit_calendar_of(conn, location, visit, now)?;
    let list = free_in(conn, &cal, from, to, now)?;
    Ok((cal.location, cal.visit, list))
}

/// A booking as the citizen asked for it.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub location: String,
    pub visit: VisitAsked,
    pub start: DateTime<Utc>,
    pub citizen: Citizen,
    pub language: Language,
}

/// A booking made: the token is shown once, here, and stored only as a hash.
#[derive(Debug, Clone)]
pub struct Booked {
    pub reference: String,
    pub token: String,
    pub location: Location,
    /// The visit's first errand.
    pub service: Service,
    /// Every errand of the visit, the first first.
    pub errands: Vec<VisitLine<Service>>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Where a video or phone errand's meeting is held.
    pub meeting: Option<Meeting>,
}

/// Books a time. Its day of the errand's capacity is locked first, then the time is checked
/// against the appointments as they are inside this transaction, then inserted: two
/// citizens racing for the last place cannot both get it.
pub fn book(
    conn: &mut DbConnection,
    request: &BookingRequest,
    now: DateTime<Utc>,
) -> AppResult<Booked> {
    store::write(conn, |conn| {
        let cal = locked_for(conn, request, now)?;
        let (_, booked) = take(
            conn,
            cal,
            request.start,
            &request.citizen,
            request.language,
            Except::default(),
            now,
        )?;
        Ok(booked)
    })
}

/// The calendar of `request`, with what the booking draws on locked.
pub(crate) fn locked_for(
    conn: &mut DbConnection,
    request: &BookingRequest,
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    locked(
        conn,
        |conn| visit_calendar(conn, &request.location, &request.visit, now),
        |conn, cal| lock_for(conn, cal, request.start, &request.citizen.email),
    )
}

/// Inside a writing transaction that holds the capacity's lock: checks the citizen's limit
/// and the time, then inserts the appointment with its mails. Returns its id too.
pub(crate) fn take(
    conn: &mut DbConnection,
    cal: Calendar,
    start: DateTime<Utc>,
    citizen: &Citizen,
    language: Language,
    except: Except,
    now: DateTime<Utc>,
) -> AppResult<(i64, Booked)> {
    let specs = || cal.visit.lines.iter().map(|l| &l.service.spec);
    if citizen.phone.is_none() && specs().any(meeting::needs_phone) {
        let missing = FieldError::new("citizen.phone", meeting::PHONE_NEEDED);
        return Err(
            AppError::invalid_fields(vec![missing.clone()]).saying(Said::Fields(vec![missing]))
        );
    }
    let held = appointments::future_count_for(conn, &citizen.email, cal.service.id, now)?;
    if held >= i64::from(cal.service.spec.rules.max_future_bookings) {
        return Err(AppError::conflict(format!(
            "this e-mail address already holds {held} future bookings of this errand; cancel one first"
        ))
        .saying(Said::with(
            "refusal.too_many_bookings",
            vec![("held", Arg::Plain(held.to_string()))],
        )));
    }
    let (end, blocks_until) = claim(conn, &cal, start, except, now)?;
    let token = auth::random_token();
    let reference = new_reference(&mut rand::thread_rng());
    let meeting = Meeting::of_visit(specs(), &reference, citizen.phone.as_deref());
    let id = appointments::insert(
        conn,
        &NewAppointment {
            reference: &reference,
            token_hash: &auth::token_hash(&token),
            location: cal.location.id,
            service: cal.service.id,
            quantity: cal.visit.lines[0].quantity,
            starts_at: start,
            ends_at: end,
            blocks_until,
            citizen,
            language,
            now,
        },
    )?;
    let further: Vec<VisitLine<ServiceId>> = cal.visit.lines[1..]
        .iter()
        .map(|l| VisitLine {
            service: l.service.id,
            quantity: l.quantity,
        })
        .collect();
    appointments::add_errands(conn, id, &further)?;
    needs::state(conn, id, &cal.visit.needs)?;
    let news = AppointmentNews {
        appointment: id,
        kind: MailKind::Confirmation,
        start,
        rules: &cal.service.spec.rules,
        sms_opt_in: citizen.sms_opt_in,
        token: Some(&token),
    };
    message_queue::appointment_news(conn, &news, now)?;
    let facts = AppointmentFacts {
        id,
        reference: &reference,
        location: &cal.location,
        service: &cal.service,
        start,
        end,
    };
    message_queue::appointment_event(conn, WebhookEvent::AppointmentBooked, &facts, now)?;
    Ok((
        id,
        Booked {
            reference,
            token,
            location: cal.location,
            service: cal.service,
            errands: cal.visit.lines,
            start,
            end,
            meeting,
        },
    ))
}

/// An appointment as its holder sees it.
#[derive(Debug, Clone)]
pub struct Managed {
    pub record: AppointmentRecord,
    pub location: Location,
    /// The visit's first errand.
    pub service: Service,
    /// Every errand of the visit, the first first.
    pub errands: Vec<VisitLine<Service>>,
}

impl Managed {
    /// Where a video or phone errand's meeting is held.
    pub fn meeting(&self) -> Option<Meeting> {
        Meeting::of_visit(
            self.errands.iter().map(|l| &l.service.spec),
            &self.record.reference,
            self.record.citizen_phone.as_deref(),
        )
    }
}

/// The appointment that this reference and token open. A wrong token reads exactly like an
/// unknown reference, so references cannot be probed.
pub(crate) fn open(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
) -> AppResult<AppointmentRecord> {
    let not_found = || {
        AppError::not_found("there is no appointment with that reference and token")
            .saying(Said::key("refusal.no_appointment"))
    };
    let record = appointments::find(conn, reference)?.ok_or_else(not_found)?;
    if record.token_hash != auth::token_hash(token) {
        return Err(not_found());
    }
    Ok(record)
}

fn managed(conn: &mut DbConnection, record: AppointmentRecord) -> AppResult<Managed> {
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    let errands = errands_of(conn, &record, &location)?;
    Ok(Managed {
        record,
        location,
        service,
        errands,
    })
}

/// Every errand of an appointment's visit, the first first.
pub(crate) fn errands_of(
    conn: &mut DbConnection,
    record: &AppointmentRecord,
    location: &Location,
) -> AppResult<Vec<VisitLine<Service>>> {
    let lines = appointments::errands_of(conn, record)?;
    lines_at(conn, location, lines)
}

/// The free times a booking could move to: those of its whole visit, needs and all.
pub fn move_slots(
    conn: &mut DbConnection,
    managed: &Managed,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<Slot>> {
    let visit = visit::of_booking(conn, &managed.record, &managed.location)?;
    let cal = visit_calendar_of(conn, managed.location.clone(), visit, now)?;
    free_in(conn, &cal, from, to, now)
}

pub fn get(conn: &mut DbConnection, reference: &str, token: &str) -> AppResult<Managed> {
    let record = open(conn, reference, token)?;
    managed(conn, record)
}

fn changeable(record: &AppointmentRecord, now: DateTime<Utc>) -> AppResult<()> {
    if record.status != AppointmentStatus::Booked {
        return Err(AppError::conflict(format!(
            "the appointment is {}, and can no longer be changed",
            record.status
        ))
        .saying(Said::with(
            "refusal.appointment_not_changeable",
            vec![(
                "status",
                Arg::Key(format!("status.appointment.{}", record.status)),
            )],
        )));
    }
    if record.starts_at <= now {
        return Err(
            AppError::conflict("the appointment has begun, and can no longer be changed")
                .saying(Said::key("refusal.appointment_begun")),
        );
    }
    Ok(())
}

fn reload(conn: &mut DbConnection, reference: &str) -> AppResult<Managed> {
    let record = appointments::find(conn, reference)?
        .ok_or_else(|| AppError::Internal(format!("appointment {reference} vanished")))?;
    managed(conn, record)
}

/// Cancels; the time is free again at once, and offered first to the waitlist.
pub fn cancel(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    waitlist: &WaitlistSettings,
    now: DateTime<Utc>,
) -> AppResult<Managed> {
    store::write(conn, |conn| {
        let record = open(conn, reference, token)?;
        changeable(&record, now)?;
        capacity_lock::whole(conn, record.location)?;
        appointments::cancel(conn, record.id, now)?;
        message_queue::drop_appointment_reminders(conn, record.id, now)?;
        let (location, service) =
            organisations::location_and_service(conn, record.location, record.service)?;
        let facts = AppointmentFacts::of(&record, &location, &service);
        message_queue::appointment_event(conn, WebhookEvent::AppointmentCancelled, &facts, now)?;
        let news = AppointmentNews {
            appointment: record.id,
            kind: MailKind::Cancelled,
            start: record.starts_at,
            rules: &service.spec.rules,
            sms_opt_in: appointments::sms_phone_of(conn, record.id)?.is_some(),
            token: None,
        };
        message_queue::appointment_news(conn, &news, now)?;
        offer_freed(conn, record.location, waitlist, now)?;
        reload(conn, reference)
    })
}

/// Moves to a new time, checked like a new booking; the old time is free again at once,
/// and offered first to the waitlist.
pub fn reschedule(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    start: DateTime<Utc>,
    waitlist: &WaitlistSettings,
    now: DateTime<Utc>,
) -> AppResult<Managed> {
    store::write(conn, |conn| {
        let record = open(conn, reference, token)?;
        changeable(&record, now)?;
        let cal = locked(
            conn,
            |conn| {
                let (location, _) =
                    organisations::location_and_service(conn, record.location, record.service)?;
                let visit = visit::of_booking(conn, &record, &location)?;
                visit_calendar_of(conn, location, visit, now)
            },
            |conn, cal| Ok(capacity_lock::whole(conn, cal.location.id)?),
        )?;
        let moving = Except::moving(record.id);
        let (end, blocks_until) = claim(conn, &cal, start, moving, now)?;
        appointments::reschedule(conn, record.id, start, end, blocks_until, now)?;
        message_queue::drop_appointment_reminders(conn, record.id, now)?;
        let news = AppointmentNews {
            appointment: record.id,
            kind: MailKind::Changed,
            start,
            rules: &cal.service.spec.rules,
            sms_opt_in: appointments::sms_phone_of(conn, record.id)?.is_some(),
            token: Some(token),
        };
        message_queue::appointment_news(conn, &news, now)?;
        let facts = AppointmentFacts {
            id: record.id,
            reference: &record.reference,
            location: &cal.location,
            service: &cal.service,
            start,
            end,
        };
        message_queue::appointment_event(conn, WebhookEvent::AppointmentMoved, &facts, now)?;
        offer_freed(conn, record.location, waitlist, now)?;
        reload(conn, reference)
    })
}
