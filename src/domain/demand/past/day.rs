//! One location-day of the past: the citizens of each demand record as bookings and
//! tickets, numbered as the kiosk numbers them.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_distr::{Distribution, Exp1, LogNormal};

use super::{desks, PastBooking, PastDay, PastTicket, PastVisit};
use crate::domain::booking::{new_reference, AppointmentStatus};
use crate::domain::demand::record::{DemandRecord, INTERVAL_SECONDS};
use crate::domain::demand::synthetic::arrivals::{
    BOOKED_SHARE_OF_QUEUE, BOOKED_WAIT_MINUTES, REMOTE_WAIT_MINUTES,
};
use crate::domain::demand::synthetic::stream::SERVICE_TIME_CV;
use crate::domain::demand::ServiceKind;
use crate::domain::organisation::{LocationSpec, OrganisationSpec, ServiceSpec};
use crate::domain::queue::{Outcome, TicketStatus};

/// Of the bookings made, the share cancelled before the day (they are not demand).
const CANCELLED_SHARE: f64 = 0.09;
/// Of the walk-ins to an errand with a self-service page, how many more the kiosk sent there.
const SELF_SERVICE_SHARE: f64 = 0.12;
/// Of the bookings, the share made in English.
const ENGLISH_SHARE: f64 = 0.12;
/// A booked citizen checks in up to this long before the booked time.
const CHECK_IN_EARLY_SECONDS: i64 = 300;

/// The share of errands settled at the first contact, by kind of errand.
fn resolved_share(kind: ServiceKind) -> f64 {
    match kind {
        ServiceKind::Passport => 0.94,
        ServiceKind::DrivingLicence => 0.9,
        ServiceKind::General => 0.86,
        ServiceKind::JobCentre => 0.72,
        ServiceKind::Specialist => 0.68,
    }
}

pub(super) fn simulate(
    spec: &OrganisationSpec,
    location: &LocationSpec,
    date: NaiveDate,
    records: &[&DemandRecord],
    rng: &mut StdRng,
) -> PastDay {
    let services: HashMap<_, _> = spec.services.iter().map(|s| (&s.slug, s)).collect();
    let mut visits = Vec::new();
    let mut self_service = Vec::new();
    for r in records {
        let Some(service) = services.get(&r.service) else {
            continue;
        };
        record_visits(service, r, rng, &mut visits);
        if service.self_service_url.is_some() {
            for _ in 0..binomial(r.walk_ins, SELF_SERVICE_SHARE, rng) {
                self_service.push((service.slug.clone(), within(r.interval_start, rng)));
            }
        }
    }
    number(&services, &mut visits, rng);
    let desks = desks::assign(spec, location, &mut visits, rng);
    PastDay {
        location: location.slug.clone(),
        date,
        visits,
        desks,
        self_service,
    }
}

/// A whole second within the quarter hour starting at `start`.
fn within(start: DateTime<Utc>, rng: &mut StdRng) -> DateTime<Utc> {
    start + Duration::seconds(rng.gen_range(0..i64::from(INTERVAL_SECONDS)))
}

fn binomial(n: u32, p: f64, rng: &mut StdRng) -> u32 {
    (0..n).filter(|_| rng.gen_bool(p)).count() as u32
}

fn seconds(s: f64) -> Duration {
    Duration::seconds(s.round() as i64)
}

/// Draws `n` values and scales them to add up to `total` (when they add up to anything).
fn scaled(n: usize, total: f64, mut draw: impl FnMut() -> f64) -> Vec<f64> {
    let raw: Vec<f64> = (0..n).map(|_| draw()).collect();
    let sum: f64 = raw.iter().sum();
    if sum <= 0.0 {
        return raw;
    }
    raw.into_iter().map(|x| x * total / sum).collect()
}

/// The citizens of one record: its walk-ins (some of whom gave up waiting), its bookings
/// (some never came) and, on top, the bookings that were cancelled.
fn record_visits(
    service: &ServiceSpec,
    r: &DemandRecord,
    rng: &mut StdRng,
    out: &mut Vec<PastVisit>,
) {
    let at_counter = service.channel.served_at_desk();
    let kind = ServiceKind::of(service);
    let came_booked = r.booked - r.no_shows.min(r.booked);
    let served_walk_ins = r.served.saturating_sub(came_booked).min(r.walk_ins);
    let walked_away = r.walk_ins - served_walk_ins;
    let served = (served_walk_ins + came_booked) as usize;

    // The record keeps only totals; the mean walk-in wait is what makes them add up under
    // the model's rule that a booked citizen waits a tenth of the walk-ins' wait extra.
    let total_wait_minutes = f64::from(r.wait_seconds) / 60.0;
    let walk_in_wait = if at_counter {
        let booked = f64::from(came_booked);
        ((total_wait_minutes - BOOKED_WAIT_MINUTES * booked)
            / (f64::from(served_walk_ins) + BOOKED_SHARE_OF_QUEUE * booked))
            .max(0.1)
    } else {
        0.0
    };
    let booked_wait = if at_counter {
        BOOKED_WAIT_MINUTES + BOOKED_SHARE_OF_QUEUE * walk_in_wait
    } else {
        REMOTE_WAIT_MINUTES
    };
    let mean_seconds = f64::from(service.duration_minutes.max(1) * 60);
    let handling_time = LogNormal::from_mean_cv(mean_seconds, SERVICE_TIME_CV).expect("positive");
    let mut handling = scaled(served, f64::from(r.service_seconds), || {
        handling_time.sample(rng)
    })
    .into_iter();
    let mut waits = {
        let mut i = 0;
        let walk = served_walk_ins as usize;
        scaled(served, f64::from(r.wait_seconds), || {
            i += 1;
            let mean = if i <= walk { walk_in_wait } else { booked_wait };
            let e: f64 = Exp1.sample(rng);
            e * mean * 60.0
        })
    }
    .into_iter();

    let mut gave_up = vec![false; r.walk_ins as usize];
    gave_up[..walked_away as usize].fill(true);
    gave_up.shuffle(rng);
    for gave_up in gave_up {
        let queued_at = within(r.interval_start, rng);
        let ticket = if gave_up {
            let e: f64 = Exp1.sample(rng);
            let called_at = queued_at + seconds((walk_in_wait * (1.0 + e)).max(2.0) * 60.0);
            missed(queued_at, called_at, rng)
        } else {
            let called_at = queued_at + seconds(waits.next().unwrap_or(0.0));
            let handling = handling.next().unwrap_or(mean_seconds);
            served_ticket(queued_at, called_at, handling, kind, rng)
        };
        out.push(PastVisit {
            service: service.slug.clone(),
            booking: None,
            ticket: Some(ticket),
        });
    }

    let mut no_show = vec![false; r.booked as usize];
    no_show[..r.no_shows.min(r.booked) as usize].fill(true);
    no_show.shuffle(rng);
    for no_show in no_show {
        let mut booking = booking(service, r.interval_start, rng);
        let ticket = match (no_show, at_counter) {
            // Nobody came, so nobody checked in: the booking stays as it was made.
            (true, true) => None,
            (true, false) => {
                booking.status = AppointmentStatus::NoShow;
                booking.updated_at = booking.ends_at;
                None
            }
            (false, false) => {
                booking.status = AppointmentStatus::Completed;
                booking.updated_at = booking.ends_at;
                None
            }
            (false, true) => {
                let early = rng.gen_range(0..=CHECK_IN_EARLY_SECONDS);
                let queued_at =
                    (booking.starts_at - Duration::seconds(early)).max(r.interval_start);
                booking.status = AppointmentStatus::CheckedIn;
                booking.updated_at = queued_at;
                let called_at = booking.starts_at + seconds(waits.next().unwrap_or(0.0));
                let handling = handling.next().unwrap_or(mean_seconds);
                Some(served_ticket(queued_at, called_at, handling, kind, rng))
            }
        };
        out.push(PastVisit {
            service: service.slug.clone(),
            booking: Some(booking),
            ticket,
        });
    }

    for _ in 0..binomial(r.booked, CANCELLED_SHARE, rng) {
        let mut booking = booking(service, r.interval_start, rng);
        let span = (booking.starts_at - booking.created_at)
            .num_seconds()
            .max(1);
        booking.status = AppointmentStatus::Cancelled;
        booking.updated_at = booking.created_at + Duration::seconds(rng.gen_range(0..span));
        out.push(PastVisit {
            service: service.slug.clone(),
            booking: Some(booking),
            ticket: None,
        });
    }
}

/// A booking at one of the errand's slots within the quarter hour, made between its
/// notice and how far ahead it may be booked.
fn booking(service: &ServiceSpec, interval: DateTime<Utc>, rng: &mut StdRng) -> PastBooking {
    let step = i64::from(service.slot_step_minutes.max(1));
    let slots = (i64::from(INTERVAL_SECONDS) / 60 / step).max(1);
    let starts_at = interval + Duration::minutes(step * rng.gen_range(0..slots));
    let ends_at = starts_at + Duration::minutes(i64::from(service.duration_minutes.max(1)));
    let notice = i64::from(service.min_notice_minutes).max(60);
    let ahead = (i64::from(service.book_ahead_days) * 24 * 60).max(notice + 1);
    let created_at = starts_at - Duration::minutes(rng.gen_range(notice..=ahead));
    PastBooking {
        reference: new_reference(rng),
        starts_at,
        ends_at,
        blocks_until: ends_at + Duration::minutes(i64::from(service.buffer_minutes)),
        status: AppointmentStatus::Booked,
        language: if rng.gen_bool(ENGLISH_SHARE) {
            "en"
        } else {
            "da"
        },
        created_at,
        updated_at: created_at,
    }
}

fn served_ticket(
    queued_at: DateTime<Utc>,
    called_at: DateTime<Utc>,
    handling: f64,
    kind: ServiceKind,
    rng: &mut StdRng,
) -> PastTicket {
    // Handling runs from the call; the citizen needs a moment to reach the desk.
    let handling = handling.max(30.0);
    let walk = rng.gen_range(10.0..60.0_f64).min(handling / 3.0);
    let outcome = if rng.gen_bool(resolved_share(kind)) {
        Outcome::Resolved
    } else {
        Outcome::Referred
    };
    PastTicket {
        queued_at,
        called_at,
        recalled_at: None,
        started_at: Some(called_at + seconds(walk)),
        finished_at: called_at + seconds(handling),
        status: TicketStatus::Finished,
        outcome: Some(outcome),
        ..unnumbered()
    }
}

/// A walk-in who had gone when called: called twice, then marked a no-show.
fn missed(queued_at: DateTime<Utc>, called_at: DateTime<Utc>, rng: &mut StdRng) -> PastTicket {
    let recalled_at = called_at + Duration::seconds(rng.gen_range(45..120));
    PastTicket {
        queued_at,
        called_at,
        recalled_at: Some(recalled_at),
        started_at: None,
        finished_at: recalled_at + Duration::seconds(rng.gen_range(45..120)),
        status: TicketStatus::NoShow,
        outcome: None,
        ..unnumbered()
    }
}

fn unnumbered() -> PastTicket {
    let t = DateTime::<Utc>::UNIX_EPOCH;
    PastTicket {
        public_id: String::new(),
        prefix: 'A',
        seq: 0,
        queued_at: t,
        called_at: t,
        recalled_at: None,
        started_at: None,
        finished_at: t,
        status: TicketStatus::Waiting,
        outcome: None,
        desk: None,
        staff: None,
    }
}

/// Numbers the day's tickets per prefix in the order they were issued, as the kiosk does,
/// and gives each an unguessable public id.
fn number(
    services: &HashMap<&crate::domain::Slug, &ServiceSpec>,
    visits: &mut [PastVisit],
    rng: &mut StdRng,
) {
    let mut order: Vec<(DateTime<Utc>, usize)> = visits
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.ticket.as_ref().map(|t| (t.queued_at, i)))
        .collect();
    order.sort();
    let mut last: HashMap<char, u32> = HashMap::new();
    for (_, i) in order {
        let prefix = services
            .get(&visits[i].service)
            .map_or('A', |s| s.queue_prefix);
        let seq = last.entry(prefix).or_default();
        *seq += 1;
        let ticket = visits[i].ticket.as_mut().expect("filtered on tickets");
        ticket.prefix = prefix;
        ticket.seq = *seq;
        ticket.public_id = format!("{:032x}", rng.gen::<u128>());
    }
}
