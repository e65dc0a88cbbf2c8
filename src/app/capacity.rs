//! The capacity calendar of one visit at one location: its hours, closures and capacity
//! rules (or the published roster's), what appointments and waitlist holds already take of
//! them, and so which times are free. Booking and the waitlist both count capacity here.
//!
//! A visit of one errand without needs of the desk counts exactly as a booking of that
//! errand always has; a visit of several, or with such needs, takes only the capacity of the
//! desks that serve all of it (see [`crate::domain::visit::visit_capacity`]).

use std::borrow::Cow;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::visit::{desk_offers, resolve, Details, Visit, VisitAsked};
use crate::domain::hours::{Closure, WeeklyHours};
use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Desk, Location, Service};
use crate::domain::roster::publish::PublishedCapacity;
use crate::domain::slots::{
    availability_at, free_slots, has_room, BookingRules, CapacityRule, Occupied, Slot, SlotInputs,
};
use crate::domain::visit::{visit_capacity, DeskOffer, PoolRule};
use crate::domain::waitlist::HoldId;
use crate::error::{AppError, AppResult};
use crate::messages::{self, Arg, Said};
use crate::store::appointments::AppointmentRecord;
use crate::store::{appointments, capacity_lock, catalogue, organisations, waitlist, DbConnection};

/// Everything the slot rules need to know about one visit at one location.
pub(crate) struct Calendar {
    pub(crate) location: Location,
    /// The visit's first errand, which leads it.
    pub(crate) service: Service,
    pub(crate) visit: Visit,
    pub(crate) rules: BookingRules,
    service_hours: Option<WeeklyHours>,
    closures: Vec<Closure>,
    capacity: Vec<CapacityRule>,
    ceiling: Option<u32>,
    pool: Vec<ServiceId>,
    /// Where a published roster governs the capacity, its rules replace `capacity`, and
    /// its booked desks are shared by every bookable errand of the location.
    published: PublishedCapacity,
    location_pool: Vec<ServiceId>,
    /// The location's desks, which bound a visit's share of a published roster's desks.
    desks: Vec<DeskOffer<ServiceId>>,
}

/// The capacity of one day: its rules, the most desks the visit can have at once, and the
/// errands whose bookings draw on it.
struct DayCapacity<'a> {
    rules: Cow<'a, [CapacityRule]>,
    ceiling: Option<u32>,
    pool: &'a [ServiceId],
}

impl Calendar {
    fn capacity_on(&self, date: NaiveDate) -> DayCapacity<'_> {
        match self.published.on(date) {
            Some(rules) if self.visit.is_single() => DayCapacity {
                rules: Cow::Borrowed(rules),
                ceiling: None,
                pool: &self.location_pool,
            },
            Some(rules) => {
                let errands = self.visit.errand_ids();
                let pools: Vec<PoolRule<ServiceId>> = rules
                    .iter()
                    .map(|rule| PoolRule {
                        rule: *rule,
                        kind: crate::domain::organisation::DeskKind::Counter,
                        services: errands.clone(),
                    })
                    .collect();
                let capacity =
                    visit_capacity(&pools, &self.desks, &errands, &self.visit.features());
                DayCapacity {
                    rules: Cow::Owned(capacity.rules),
                    ceiling: capacity.ceiling,
                    pool: &self.location_pool,
                }
            }
            None => DayCapacity {
                rules: Cow::Borrowed(&self.capacity),
                ceiling: self.ceiling,
                pool: &self.pool,
            },
        }
    }
}

/// The calendar of a visit as asked for: 422 naming the field of each problem.
pub(crate) fn visit_calendar(
    conn: &mut DbConnection,
    location_slug: &str,
    asked: &VisitAsked,
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    let location = crate::app::catalogue::location(conn, location_slug)?;
    let visit = resolve(conn, &location, asked, Details::Required)?;
    visit_calendar_of(conn, location, visit, now)
}

/// The calendar of a visit already checked; refuses one with an errand that cannot be booked.
pub(crate) fn visit_calendar_of(
    conn: &mut DbConnection,
    location: Location,
    visit: Visit,
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    let layout = organisations::desk_layout(conn, location.id)?;
    calendar_with(conn, location, visit, &layout, now)
}

/// The calendar of a visit with the location's desks as `layout` has them.
fn calendar_with(
    conn: &mut DbConnection,
    location: Location,
    visit: Visit,
    layout: &[Desk],
    now: DateTime<Utc>,
) -> AppResult<Calendar> {
    for line in &visit.lines {
        bookable(&line.service)?;
    }
    let service = visit.lines[0].service.clone();
    let mut service_hours: Option<WeeklyHours> = None;
    for line in &visit.lines {
        if let Some(own) = organisations::service_hours(conn, location.id, line.service.id)? {
            service_hours = Some(match service_hours {
                Some(hours) => hours.common(&own),
                None => own,
            });
        }
    }
    let today = now.with_timezone(&location.timezone).date_naive();
    let closures = organisations::closures_from(conn, location.id, today - Duration::days(1))?;
    let offered = organisations::services_at(conn, location.id)?;
    let desks = desk_offers(layout, &offered);
    let (capacity, ceiling, pool) = if visit.is_single() {
        let (capacity, pool) = organisations::capacity_for(conn, location.id, service.id)?;
        (capacity, None, pool)
    } else {
        let errands = visit.errand_ids();
        let pools = organisations::capacity_pools(conn, location.id)?;
        let capacity = visit_capacity(&pools, &desks, &errands, &visit.features());
        // Every booking that may stand at a desk of these rules counts against them.
        let mut pool: Vec<ServiceId> = pools
            .iter()
            .filter(|p| errands.iter().all(|e| p.services.contains(e)))
            .flat_map(|p| p.services.iter().copied())
            .chain(errands.iter().copied())
            .collect();
        pool.sort_unstable_by_key(|s| s.0);
        pool.dedup();
        (capacity.rules, capacity.ceiling, pool)
    };
    let rules = visit
        .rules()
        .ok_or_else(|| AppError::invalid_field("services", "choose at least one errand"))?;
    // A roster staffs the desks: a phone or video meeting takes none of them, and draws
    // only on the capacity rules that name it (its holders), as the planner counts it.
    let at_desk = visit
        .lines
        .iter()
        .all(|l| l.service.spec.channel.served_at_desk());
    let published = match at_desk {
        true => {
            crate::app::rosters::published_capacity(conn, &location, today - Duration::days(1))?
        }
        false => PublishedCapacity::default(),
    };
    let location_pool = offered
        .into_iter()
        .filter(|s| s.spec.booking.takes_bookings() && s.spec.channel.served_at_desk())
        .map(|s| s.id)
        .collect();
    Ok(Calendar {
        location,
        service,
        visit,
        rules,
        service_hours,
        closures,
        capacity,
        ceiling,
        pool,
        published,
        location_pool,
        desks,
    })
}

/// Refuses an errand that cannot be booked.
fn bookable(service: &Service) -> AppResult<()> {
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
    Ok(())
}

/// The longest range of dates one request may ask for.
pub const MAX_SLOT_RANGE_DAYS: i64 = 62;

/// The free times of a calendar over local dates `from..=to`, with appointments and live
/// waitlist holds taken off. Where a published roster governs a day, its booked desks are
/// shared by every bookable errand of the location met at a desk, so everything booked
/// there counts; phone and video meetings keep their own rules.
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
        let capacity = cal.capacity_on(from);
        return Ok(free_slots(&inputs(cal, &capacity, &own), now, from, to));
    }
    let shared = taken(&cal.location_pool)?;
    Ok(from
        .iter_days()
        .take_while(|d| *d <= to)
        .flat_map(|date| {
            let capacity = cal.capacity_on(date);
            let taken = if cal.published.on(date).is_some() {
                &shared
            } else {
                &own
            };
            free_slots(&inputs(cal, &capacity, taken), now, date, date)
        })
        .collect())
}

/// What already draws on the capacity: appointments and live waitlist holds.
struct Taken {
    occupied: Vec<Occupied>,
    held: Vec<Occupied>,
}

fn inputs<'a>(cal: &'a Calendar, capacity: &'a DayCapacity, taken: &'a Taken) -> SlotInputs<'a> {
    SlotInputs {
        zone: cal.location.timezone,
        hours: &cal.location.opening_hours,
        service_hours: cal.service_hours.as_ref(),
        closures: &cal.closures,
        rules: cal.rules,
        capacity: &capacity.rules,
        desk_ceiling: capacity.ceiling,
        occupied: &taken.occupied,
        held: &taken.held,
    }
}

/// The end of the visit starting at `start`, and of its buffer.
pub(crate) fn span(cal: &Calendar, start: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let end = start + Duration::minutes(i64::from(cal.rules.duration_minutes));
    (
        end,
        end + Duration::minutes(i64::from(cal.rules.buffer_minutes)),
    )
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
    let pool = cal.capacity_on(date).pool;
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

/// The calendar that `read` builds, with the locks that `lock` takes for it held. A writer
/// reads its calendar before it knows what to lock, so a change to the catalogue committed
/// while it waited for the locks (a closure takes the location's whole capacity, which every
/// booking holds shared) is not in what it read: when the catalogue's stamp moved between
/// the read and the locks, the calendar is read and locked again.
pub(crate) fn locked(
    conn: &mut DbConnection,
    read: impl Fn(&mut DbConnection) -> AppResult<Calendar>,
    lock: impl Fn(&mut DbConnection, &Calendar) -> AppResult<()>,
) -> AppResult<Calendar> {
    let mut seen = catalogue::fresh(conn)?;
    loop {
        let cal = read(conn)?;
        lock(conn, &cal)?;
        let now = catalogue::fresh(conn)?;
        if now == seen {
            return Ok(cal);
        }
        seen = now;
    }
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
    let capacity = cal.capacity_on(start.with_timezone(&cal.location.timezone).date_naive());
    let pool = capacity.pool;
    let taken = Taken {
        occupied: appointments::occupied(conn, id, pool, start, blocks_until, except.moving)?,
        held: waitlist::live_holds(conn, id, pool, start, blocks_until, now, except.hold)?,
    };
    availability_at(&inputs(cal, &capacity, &taken), now, start).map_err(|refusal| {
        let said = messages::slot_refusal(&refusal);
        if refusal.is_full() {
            AppError::conflict(format!("{refusal} Choose another time.")).saying(said)
        } else {
            AppError::invalid_field("start", refusal.to_string()).saying(said)
        }
    })?;
    Ok((end, blocks_until))
}

/// The ids of the confirmed bookings of `booked` that the capacity calendar leaves without
/// a desk when the location's desks are as `layout` has them. The bookings are taken in the
/// order given (the caller puts those made first first): each is counted, as its visit would
/// be booked at its time, against those before it that have a desk, so the ones listed are
/// the last comers. A booking whose errand can no longer be booked is not this count's: it
/// keeps its desk.
pub(crate) fn without_room(
    conn: &mut DbConnection,
    location: &Location,
    booked: &[AppointmentRecord],
    layout: &[Desk],
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let mut calendars: Vec<(Visit, Option<Calendar>)> = Vec::new();
    let mut placed: Vec<&AppointmentRecord> = Vec::new();
    let mut left = Vec::new();
    for b in booked {
        let visit = crate::app::visit::of_booking(conn, b, location)?;
        let at = match calendars.iter().position(|(v, _)| *v == visit) {
            Some(at) => at,
            None => {
                let cal = match calendar_with(conn, location.clone(), visit.clone(), layout, now) {
                    Ok(cal) => Some(cal),
                    Err(AppError::Unprocessable { .. }) => None,
                    Err(other) => return Err(other),
                };
                calendars.push((visit, cal));
                calendars.len() - 1
            }
        };
        let Some(cal) = &calendars[at].1 else {
            placed.push(b);
            continue;
        };
        let capacity = cal.capacity_on(b.starts_at.with_timezone(&location.timezone).date_naive());
        let occupied: Vec<Occupied> = placed
            .iter()
            .filter(|p| capacity.pool.contains(&p.service))
            .filter(|p| p.starts_at < b.blocks_until && b.starts_at < p.blocks_until)
            .map(|p| Occupied {
                start: p.starts_at,
                end: p.blocks_until,
            })
            .collect();
        let taken = Taken {
            occupied,
            held: Vec::new(),
        };
        if has_room(&inputs(cal, &capacity, &taken), b.starts_at, b.blocks_until) {
            placed.push(b);
        } else {
            left.push(b.id);
        }
    }
    Ok(left)
}
