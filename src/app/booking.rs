//! Booking: free times, and taking one — with capacity enforced inside the transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::auth;
use crate::app::waitlist::WaitlistSettings;
use crate::domain::booking::{new_reference, Citizen, Language};
use crate::domain::booking::{reminder_due, AppointmentStatus, MailKind};
use crate::domain::hours::{Closure, WeeklyHours};
use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Location, Service};
use crate::domain::roster::publish::PublishedCapacity;
use crate::domain::slots::{
    availability_at, free_slots, BookingRules, CapacityRule, Occupied, Slot, SlotInputs,
};
use crate::domain::waitlist::HoldId;
use crate::error::{AppError, AppResult};
use crate::store::appointments::{self, AppointmentRecord, NewAppointment};
use crate::store::{self, organisations, outbox, waitlist, DbConnection};

/// Everything the slot rules need to know about one errand at one location.
pub(crate) struct Calendar {
    pub(crate) location: Location,
    pub(crate) service: Service,
    service_hours: Option<WeeklyHours>,
    closures: Vec<Closure>,
    capacity: Vec<CapacityRule>,
    pool: Vec<ServiceId>,
    /// Where a published roster governs the capacity, its rules replace `capacity`, and
    /// its booked desks are shared by every bookable errand of the location.
    published: PublishedCapacity,
    location_pool: Vec<ServiceId>,
}

impl Calendar {
    /// The capacity rules that apply on `date`, and the errands whose bookings use them.
    fn capacity_on(&self, date: NaiveDate) -> (&[CapacityRule], &[ServiceId]) {
        match self.published.on(date) {
            Some(rules) => (rules, &self.location_pool),
            None => (&self.capacity, &self.pool),
        }
    }
}

pub(crate) fn calendar(
    conn: &mut DbConnection,
    location_slug: &str,
    service_slug: &str,
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    let location = crate::app::catalogue::location(conn, location_slug)?;
    let service = organisations::service_at(conn, location.id, service_slug)?.ok_or_else(|| {
        AppError::invalid_field(
            "service",
            format!("'{service_slug}' is not offered at {}", location.name),
        )
    })?;
    calendar_of(conn, location, service, now)
}

/// The calendar of an errand already looked up; refuses one that cannot be booked.
pub(crate) fn calendar_of(
    conn: &mut DbConnection,
    location: Location,
    service: Service,
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    if !service.spec.booking.takes_bookings() {
        return Err(AppError::invalid_field(
            "service",
            format!(
                "{} cannot be booked: take a ticket at the office",
                service.spec.name_en
            ),
        ));
    }
    let service_hours = organisations::service_hours(conn, location.id, service.id)?;
    let today = now.with_timezone(&location.timezone).date_naive();
    let closures = organisations::closures_from(conn, location.id, today - Duration::days(1))?;
    let (capacity, pool) = organisations::capacity_for(conn, location.id, service.id)?;
    let published =
        crate::app::rosters::published_capacity(conn, &location, today - Duration::days(1))?;
    let location_pool = organisations::services_at(conn, location.id)?
        .into_iter()
        .filter(|s| s.spec.booking.takes_bookings())
        .map(|s| s.id)
        .collect();
    Ok(Calendar {
        location,
        service,
        service_hours,
        closures,
        capacity,
        pool,
        published,
        location_pool,
    })
}

/// The longest range of dates one request may ask for.
pub const MAX_SLOT_RANGE_DAYS: i64 = 62;

/// Free times for an errand at a location over local dates `from..=to`.
pub fn slots(
    conn: &mut DbConnection,
    location_slug: &str,
    service_slug: &str,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(Location, Vec<Slot>)> {
    if to < from {
        return Err(AppError::invalid_field("to", "must not be before from"));
    }
    if (to - from).num_days() >= MAX_SLOT_RANGE_DAYS {
        return Err(AppError::invalid_field(
            "to",
            format!("ask for at most {MAX_SLOT_RANGE_DAYS} days at a time"),
        ));
    }
    let cal = calendar(conn, location_slug, service_slug, now)?;
    let list = free_in(conn, &cal, from, to, now)?;
    Ok((cal.location, list))
}

/// The free times of a calendar over local dates `from..=to`, with appointments and live
/// waitlist holds taken off. Where a published roster governs a day, its booked desks are
/// shared by every bookable errand of the location, so everything booked there counts.
pub(crate) fn free_in(
    conn: &mut DbConnection,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<Slot>> {
    // Generous bounds in UTC around the local dates; the domain cuts them exactly.
    let start = from.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::days(1);
    let end = to.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + Duration::days(2);
    let id = cal.location.id;
    let mut taken = |pool: &[ServiceId]| -> AppResult<Taken> {
        Ok(Taken {
            occupied: appointments::occupied(conn, id, pool, start, end, None)?,
            held: waitlist::live_holds(conn, id, pool, start, end, now, None)?,
        })
    };
    let own = taken(&cal.pool)?;
    if cal.published.is_empty() {
        return Ok(free_slots(&inputs(cal, &cal.capacity, &own), now, from, to));
    }
    let shared = taken(&cal.location_pool)?;
    Ok(from
        .iter_days()
        .take_while(|d| *d <= to)
        .flat_map(|date| {
            let (capacity, _) = cal.capacity_on(date);
            let taken = if cal.published.on(date).is_some() {
                &shared
            } else {
                &own
            };
            free_slots(&inputs(cal, capacity, taken), now, date, date)
        })
        .collect())
}

/// What already draws on the capacity: appointments and live waitlist holds.
struct Taken {
    occupied: Vec<Occupied>,
    held: Vec<Occupied>,
}

fn inputs<'a>(cal: &'a Calendar, capacity: &'a [CapacityRule], taken: &'a Taken) -> SlotInputs<'a> {
    SlotInputs {
        zone: cal.location.timezone,
        hours: &cal.location.opening_hours,
        service_hours: cal.service_hours.as_ref(),
        closures: &cal.closures,
        rules: BookingRules::from(&cal.service.spec),
        capacity,
        occupied: &taken.occupied,
        held: &taken.held,
    }
}

/// The end of an appointment of this errand starting at `start`, and of its buffer.
pub(crate) fn span(cal: &Calendar, start: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let spec = &cal.service.spec;
    let end = start + Duration::minutes(i64::from(spec.duration_minutes));
    (end, end + Duration::minutes(i64::from(spec.buffer_minutes)))
}

/// What a booking leaves out when it counts the capacity: the appointment being moved,
/// or the waitlist hold being claimed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Except {
    moving: Option<i64>,
    hold: Option<HoldId>,
}

impl Except {
    pub(crate) fn hold(hold: HoldId) -> Self {
        Self {
            moving: None,
            hold: Some(hold),
        }
    }
}

/// Checks, under the location's lock, that `start` is free for the errand, counting
/// appointments and live waitlist holds; returns the end of the appointment and of its buffer.
fn claim(
    conn: &mut DbConnection,
    cal: &Calendar,
    start: DateTime<Utc>,
    except: Except,
    now: DateTime<Utc>,
) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let (end, blocks_until) = span(cal, start);
    let id = cal.location.id;
    let (capacity, pool) =
        cal.capacity_on(start.with_timezone(&cal.location.timezone).date_naive());
    let taken = Taken {
        occupied: appointments::occupied(conn, id, pool, start, blocks_until, except.moving)?,
        held: waitlist::live_holds(conn, id, pool, start, blocks_until, now, except.hold)?,
    };
    availability_at(&inputs(cal, capacity, &taken), now, start).map_err(|refusal| {
        if refusal.is_full() {
            AppError::conflict(format!("{refusal} Choose another time."))
        } else {
            AppError::invalid_field("start", refusal.to_string())
        }
    })?;
    Ok((end, blocks_until))
}

/// A booking as the citizen asked for it.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub location: String,
    pub service: String,
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
    pub service: Service,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Books a time. The location is locked first, then the time is checked against the
/// appointments as they are inside this transaction, then inserted: two citizens racing
/// for the last place cannot both get it.
pub fn book(
    conn: &mut DbConnection,
    request: &BookingRequest,
    now: DateTime<Utc>,
) -> AppResult<Booked> {
    store::write(conn, |conn| {
        let cal = calendar(conn, &request.location, &request.service, now)?;
        store::lock_location(conn, cal.location.id)?;
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

/// Inside a writing transaction that holds the location's lock: checks the citizen's limit
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
    let held = appointments::future_count_for(conn, &citizen.email, cal.service.id, now)?;
    if held >= i64::from(cal.service.spec.rules.max_future_bookings) {
        return Err(AppError::conflict(format!(
            "this e-mail address already holds {held} future bookings of this errand; cancel one first"
        )));
    }
    let (end, blocks_until) = claim(conn, &cal, start, except, now)?;
    let token = auth::random_token();
    let reference = new_reference(&mut rand::thread_rng());
    let id = appointments::insert(
        conn,
        &NewAppointment {
            reference: &reference,
            token_hash: &auth::token_hash(&token),
            location: cal.location.id,
            service: cal.service.id,
            starts_at: start,
            ends_at: end,
            blocks_until,
            citizen,
            language,
            now,
        },
    )?;
    outbox::enqueue(conn, id, MailKind::Confirmation, now, Some(&token), now)?;
    if let Some(due) = reminder_due(start, now, &cal.service.spec.rules) {
        outbox::enqueue(conn, id, MailKind::Reminder, due, None, now)?;
    }
    Ok((
        id,
        Booked {
            reference,
            token,
            location: cal.location,
            service: cal.service,
            start,
            end,
        },
    ))
}

/// An appointment as its holder sees it.
#[derive(Debug, Clone)]
pub struct Managed {
    pub record: AppointmentRecord,
    pub location: Location,
    pub service: Service,
}

/// The appointment that this reference and token open. A wrong token reads exactly like an
/// unknown reference, so references cannot be probed.
pub(crate) fn open(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
) -> AppResult<AppointmentRecord> {
    let not_found = || AppError::not_found("there is no appointment with that reference and token");
    let record = appointments::find(conn, reference)?.ok_or_else(not_found)?;
    if record.token_hash != auth::token_hash(token) {
        return Err(not_found());
    }
    Ok(record)
}

fn managed(conn: &mut DbConnection, record: AppointmentRecord) -> AppResult<Managed> {
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    Ok(Managed {
        record,
        location,
        service,
    })
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
        )));
    }
    if record.starts_at <= now {
        return Err(AppError::conflict(
            "the appointment has begun, and can no longer be changed",
        ));
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
        store::lock_location(conn, record.location)?;
        appointments::cancel(conn, record.id, now)?;
        outbox::drop_reminders(conn, record.id, now)?;
        outbox::enqueue(conn, record.id, MailKind::Cancelled, now, None, now)?;
        crate::app::waitlist::offer_freed(conn, record.location, waitlist, now)?;
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
        let (location, service) =
            organisations::location_and_service(conn, record.location, record.service)?;
        let cal = calendar(
            conn,
            location.slug.as_str(),
            service.spec.slug.as_str(),
            now,
        )?;
        store::lock_location(conn, cal.location.id)?;
        let moving = Except {
            moving: Some(record.id),
            hold: None,
        };
        let (end, blocks_until) = claim(conn, &cal, start, moving, now)?;
        appointments::reschedule(conn, record.id, start, end, blocks_until, now)?;
        outbox::drop_reminders(conn, record.id, now)?;
        outbox::enqueue(conn, record.id, MailKind::Changed, now, Some(token), now)?;
        if let Some(due) = reminder_due(start, now, &cal.service.spec.rules) {
            outbox::enqueue(conn, record.id, MailKind::Reminder, due, None, now)?;
        }
        crate::app::waitlist::offer_freed(conn, record.location, waitlist, now)?;
        reload(conn, reference)
    })
}
