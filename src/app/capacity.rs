//! The capacity calendar of one errand at one location: its hours, closures and capacity
//! rules (or the published roster's), what appointments and waitlist holds already take of
//! them, and so which times are free. Booking and the waitlist both count capacity here.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::hours::{Closure, WeeklyHours};
use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Location, Service};
use crate::domain::roster::publish::PublishedCapacity;
use crate::domain::slots::{
    availability_at, free_slots, BookingRules, CapacityRule, Occupied, Slot, SlotInputs,
};
use crate::domain::waitlist::HoldId;
use crate::error::{AppError, AppResult};
use crate::messages::{self, Arg, Said};
use crate::store::{appointments, capacity_lock, organisations, waitlist, DbConnection};

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
        .saying(Said::key("refusal.not_offered"))
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
        )
        .saying(Said::with(
            "refusal.not_bookable",
            vec![(
                "errand",
                Arg::Named {
                    da: service.spec.name_da.clone(),
                    en: service.spec.name_en.clone(),
                },
            )],
        )));
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
        desk_ceiling: None,
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
    pub(crate) fn moving(appointment: i64) -> Self {
        Self {
            moving: Some(appointment),
            hold: None,
        }
    }

    pub(crate) fn hold(hold: HoldId) -> Self {
        Self {
            moving: None,
            hold: Some(hold),
        }
    }
}

/// Locks, until the transaction ends, what a booking of `start` for `email` draws on: that
/// day of the errand's capacity pool, and the citizen's count of the errand's bookings.
pub(crate) fn lock_for(
    conn: &mut DbConnection,
    cal: &Calendar,
    start: DateTime<Utc>,
    email: &str,
) -> AppResult<()> {
    let date = start.with_timezone(&cal.location.timezone).date_naive();
    let (_, pool) = cal.capacity_on(date);
    capacity_lock::booking(
        conn,
        &capacity_lock::Booking {
            location: cal.location.id,
            date,
            pool,
            service: cal.service.id,
            email,
        },
    )?;
    Ok(())
}

/// Checks, under the capacity's lock ([`lock_for`] or the location's whole), that `start` is free for the errand, counting
/// appointments and live waitlist holds; returns the end of the appointment and of its buffer.
pub(crate) fn claim(
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
        let said = messages::slot_refusal(&refusal);
        if refusal.is_full() {
            AppError::conflict(format!("{refusal} Choose another time.")).saying(said)
        } else {
            AppError::invalid_field("start", refusal.to_string()).saying(said)
        }
    })?;
    Ok((end, blocks_until))
}
