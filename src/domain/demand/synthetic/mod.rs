//! The demo's synthetic demand history: a model of plausible arrivals, bookings, no-shows,
//! handling and waiting per errand, location and quarter hour, and its draws.
//!
//! Each errand offered at a location is a *stream*. Its expected arrivals in one local
//! quarter hour are a product of independent factors:
//!
//! ```text
//! expected = base rate × time of day × weekday × start of month × season × election
//! ```
//!
//! - **Base rate.** A location takes [`VISITS_PER_OPEN_HOUR`] citizens per open hour
//!   (Fredericia: about 2,200 personal visits a week over 6 receptions), shared among the
//!   errands met in person by a weight per [`ServiceKind`]; phone and video meetings come on
//!   top. Longer opening hours therefore mean proportionally more visits: a city hall open
//!   24 hours a week sees 350–400.
//! - **Time of day.** Copenhagen's citizen service rises over lunch until 14:00 and again
//!   16:30–18:00; the job centre is busiest in the morning. The curve is scaled to average 1
//!   over each day's open hours, so it moves citizens within a day without adding any.
//! - **Calendar.** Mondays are busiest and mid-week quietest; the first days of a month are
//!   busier (most of all at the job centre, when benefits are claimed); June is passport
//!   season; general citizen service swells in the weeks before an election with postal
//!   votes ([`ELECTIONS`]); July and December are quiet.
//!
//! The expected arrivals split into walk-ins and bookings by the errand's booking policy
//! ([`booked_share`]). Bookings follow a flatter daily curve than walk-ins, because a booking
//! calendar spreads citizens over the free times. Of the booked, a share do not come
//! ([`no_show_rate`]). Counts are Poisson around the expected values, so [`ExpectedDemand`]
//! is the truth that a forecast can be scored against.
//!
//! Waiting comes from a deliberately simple queue of walk-ins per location: the desks that
//! serve them follow a fixed weekly template sized for an ordinary day (as rosters were
//! before a planner), so lunch peaks, Mondays and elections overload them. Expected work
//! that the desks cannot finish in one interval is carried into the next (a fluid backlog),
//! and on top of that an M/M/c approximation gives the random waiting at the interval's
//! occupancy. Each walk-in's wait is exponential around that mean; a few give up when it is
//! long. Booked citizens are seen at desks reserved for appointments and barely wait.
//!
//! Everything is pure: the caller passes the dates and a seed, and each location-day draws
//! from its own generator seeded from `(seed, location, date)`, so a day's history is the
//! same whatever range it is generated in (video meetings draw from a second one).
//!
//! [`ELECTIONS`]: super::ELECTIONS

pub(super) mod arrivals;
mod factors;
mod location;
pub(super) mod queue;
mod sampling;
pub(super) mod stream;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;

pub use factors::{
    booked_share, calendar_factor, election_factor, no_show_rate, time_of_day_factor, ServiceKind,
    OPTIONAL_BOOKED_SHARE, VISITS_PER_OPEN_HOUR,
};
pub use stream::ExpectedDemand;

use super::intervals::open_quarters;
use super::record::{DemandRecord, INTERVAL_SECONDS};
use crate::domain::organisation::OrganisationSpec;
use crate::domain::Slug;
use location::{Draws, LocationModel};

/// Sets a day's generator of video meetings apart from the rest's.
const VIDEO: u64 = 0x7669_6465_6f00_0000;

/// The demand model of one organisation: what the synthetic history is drawn from, and the
/// truth that forecasts of it can be compared with.
#[derive(Debug, Clone)]
pub struct DemandModel<'a> {
    locations: Vec<LocationModel<'a>>,
}

impl<'a> DemandModel<'a> {
    pub fn new(spec: &'a OrganisationSpec) -> Self {
        let locations = spec
            .locations
            .iter()
            .map(|location| LocationModel::new(spec, location))
            .collect();
        Self { locations }
    }

    /// Expected demand for `service` at `location` in the interval starting at
    /// `interval_start`, or `None` when that is not an open interval there.
    pub fn expected(
        &self,
        location: &Slug,
        service: &Slug,
        interval_start: DateTime<Utc>,
    ) -> Option<ExpectedDemand> {
        let model = self.locations.iter().find(|l| &l.spec.slug == location)?;
        let stream = model.streams.iter().find(|s| &s.service.slug == service)?;
        let local = interval_start.with_timezone(&model.spec.timezone);
        let (date, t) = (local.date_naive(), local.time());
        let on_quarter =
            t.num_seconds_from_midnight() % INTERVAL_SECONDS == 0 && t.nanosecond() == 0;
        let open =
            open_quarters(model.spec, date).any(|q| q == t) && stream.is_open(date.weekday(), t);
        (on_quarter && open).then(|| stream.expected(date, t))
    }

    /// Expected citizens who come (walk-ins and booked who show up); 0 when closed.
    pub fn arrival_rate(
        &self,
        location: &Slug,
        service: &Slug,
        interval_start: DateTime<Utc>,
    ) -> f64 {
        self.expected(location, service, interval_start)
            .map_or(0.0, |e| e.arrivals())
    }

    /// Draws history for every local date from `first` to `last` inclusive, ordered by
    /// location, date, interval and service. Intervals where nobody came or booked are left out.
    pub fn history(&self, first: NaiveDate, last: NaiveDate, seed: u64) -> Vec<DemandRecord> {
        self.locations()
            .flat_map(|slug| self.location_history(slug, first, last, seed))
            .collect()
    }

    /// The locations, in the order [`Self::history`] draws them.
    pub fn locations(&self) -> impl Iterator<Item = &Slug> {
        self.locations.iter().map(|l| &l.spec.slug)
    }

    /// [`Self::history`] of one location: the same records, since each day draws from a
    /// seed of its own, so the locations can be drawn apart (and at once).
    pub fn location_history(
        &self,
        location: &Slug,
        first: NaiveDate,
        last: NaiveDate,
        seed: u64,
    ) -> Vec<DemandRecord> {
        let mut out = Vec::new();
        for model in self.locations.iter().filter(|l| &l.spec.slug == location) {
            for date in first.iter_days().take_while(|d| *d <= last) {
                let day = day_seed(seed, &model.spec.slug, date);
                let mut draws = Draws {
                    rest: StdRng::seed_from_u64(day),
                    video: StdRng::seed_from_u64(splitmix64(day ^ VIDEO)),
                };
                model.simulate_day(date, &mut draws, &mut out);
            }
        }
        out
    }
}

/// Twelve months (or any range) of plausible history for the demo and the planner's tests.
pub fn synthetic_history(
    spec: &OrganisationSpec,
    first: NaiveDate,
    last: NaiveDate,
    seed: u64,
) -> Vec<DemandRecord> {
    DemandModel::new(spec).history(first, last, seed)
}

/// A seed per location-day, so that a day's draws do not depend on the range generated.
pub(in crate::domain::demand) fn day_seed(seed: u64, location: &Slug, date: NaiveDate) -> u64 {
    let bytes = location
        .as_str()
        .bytes()
        .chain(date.num_days_from_ce().to_le_bytes());
    bytes.fold(splitmix64(seed), |h, b| splitmix64(h ^ u64::from(b)))
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
