//! The demo's past as the live system would have recorded it: every citizen behind the
//! synthetic demand records as a ticket and/or a booking, with its calls, starts, outcomes,
//! the desks that served it and the staff at them ([`past_days`]).
//!
//! The records stay the truth: each record's walk-ins, bookings, no-shows and served become
//! exactly that many tickets and bookings in its quarter hour, and the handling and waiting
//! times drawn for its citizens are scaled to the record's totals, so that history read back
//! from the tickets and bookings matches the records it came from. The draws come from a
//! generator of their own per location-day, seeded like the records' own, so the demand
//! model's draws (and everything forecast from them) do not change.

mod day;
mod desks;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::record::DemandRecord;
use super::synthetic::day_seed;
use crate::domain::booking::AppointmentStatus;
use crate::domain::organisation::OrganisationSpec;
use crate::domain::queue::{Outcome, TicketStatus};
use crate::domain::Slug;

/// One location's past day.
#[derive(Debug, Clone)]
pub struct PastDay {
    pub location: Slug,
    pub date: NaiveDate,
    pub visits: Vec<PastVisit>,
    /// Desks opened and closed that day.
    pub desks: Vec<DeskSession>,
    /// Citizens the kiosk sent to self-service, with the errand they asked for.
    pub self_service: Vec<(Slug, DateTime<Utc>)>,
}

/// One citizen's errand: a walk-in has a ticket, a booking may have one (when it was
/// checked in at the kiosk), a cancelled or missed booking has none.
#[derive(Debug, Clone)]
pub struct PastVisit {
    pub service: Slug,
    pub booking: Option<PastBooking>,
    pub ticket: Option<PastTicket>,
}

/// A booked time and what became of it.
#[derive(Debug, Clone)]
pub struct PastBooking {
    pub reference: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub blocks_until: DateTime<Utc>,
    pub status: AppointmentStatus,
    /// `da` or `en`.
    pub language: &'static str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A ticket from issue to its end; every past ticket was called, and ended finished or as
/// a no-show.
#[derive(Debug, Clone)]
pub struct PastTicket {
    pub public_id: String,
    pub prefix: char,
    /// Gap-free per location, local day and prefix, in the order the tickets were issued.
    pub seq: u32,
    pub queued_at: DateTime<Utc>,
    pub called_at: DateTime<Utc>,
    /// A second call when nobody came to the first.
    pub recalled_at: Option<DateTime<Utc>>,
    /// `None` for a no-show.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: DateTime<Utc>,
    pub status: TicketStatus,
    pub outcome: Option<Outcome>,
    /// Index into the location's desks.
    pub desk: Option<usize>,
    /// Index into the organisation's staff.
    pub staff: Option<usize>,
}

/// A desk open from `opens` to `closes`, with the person at it.
#[derive(Debug, Clone)]
pub struct DeskSession {
    /// Index into the location's desks.
    pub desk: usize,
    /// Index into the organisation's staff.
    pub staff: Option<usize>,
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

/// Kept apart from the demand model's own seeds, so its draws stay as they were.
const PAST_SALT: u64 = 0x7061_7374_5f76_6973;

/// The tickets, bookings and desk sessions behind `records` (ordered by location, date and
/// interval, as the demand model makes them), one [`PastDay`] per location and local date.
pub fn past_days(spec: &OrganisationSpec, records: &[DemandRecord], seed: u64) -> Vec<PastDay> {
    let mut groups: Vec<((Slug, NaiveDate), Vec<&DemandRecord>)> = Vec::new();
    let zones: HashMap<&Slug, chrono_tz::Tz> = spec
        .locations
        .iter()
        .map(|l| (&l.slug, l.timezone))
        .collect();
    for r in records {
        let Some(zone) = zones.get(&r.location) else {
            continue;
        };
        let key = (
            r.location.clone(),
            r.interval_start.with_timezone(zone).date_naive(),
        );
        match groups.last_mut() {
            Some((k, rows)) if *k == key => rows.push(r),
            _ => groups.push((key, vec![r])),
        }
    }
    groups
        .into_iter()
        .filter_map(|((location, date), rows)| {
            let place = spec.locations.iter().find(|l| l.slug == location)?;
            let mut rng = StdRng::seed_from_u64(day_seed(seed ^ PAST_SALT, &location, date));
            Some(day::simulate(spec, place, date, &rows, &mut rng))
        })
        .collect()
}

/// Kept apart from the other seeds, for the references drawn again.
const REFERENCE_SALT: u64 = 0x7265_6665_7265_6e63;

/// Draws again every booking reference that an earlier booking of `days` already has: a
/// year of bookings drawn day by day holds tens of thousands of references of six letters,
/// where two alike are likely, and a reference names one appointment.
pub fn make_references_unique(days: &mut [PastDay], seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed ^ REFERENCE_SALT);
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let bookings = days
        .iter_mut()
        .flat_map(|d| d.visits.iter_mut())
        .filter_map(|v| v.booking.as_mut());
    for booking in bookings {
        while !seen.insert(booking.reference.clone()) {
            booking.reference = crate::domain::booking::new_reference(&mut rng);
        }
    }
}
