//! Forecast of demand: expected walk-ins and bookings per location, errand and interval
//! for a coming period, learnt from the demand history.
//!
//! # The model
//!
//! Counts per quarter hour are small (often 0, 1 or 2), so a model per interval series
//! would learn mostly noise. The forecast instead models each errand's *day* and spreads
//! it over the day by a learnt profile (multiplicative decomposition):
//!
//! ```text
//! expected(day, quarter) = level × trend × weekday × month × start of month × postal votes
//!                          × share of the day in that quarter (per weekday)
//! ```
//!
//! - The calendar factors are fitted by backfitting over the history's open days, each as a
//!   Poisson–gamma posterior mean `(observed + k·prior) / (expected + k)`: a factor with
//!   little data behind it stays near its prior. The prior of an errand's factors is the
//!   location's (all errands pooled), whose own prior is 1, so a sparse errand borrows the
//!   location's shape instead of its own noise.
//! - The month factors are the yearly season (June passports, quiet July); they need a
//!   year of history to be learnt and fall back to the pooled or neutral value before.
//! - Postal votes: the weeks before the known [`election_days`] get a ramp from 0 to 1, and
//!   each errand learns how much it rises with it (general citizen service does, passports
//!   do not).
//! - The level is the deseasonalised mean of the last [`RECENT_WEEKS`] weeks, and a damped
//!   trend from the deseasonalised weekly levels carries it forward.
//! - The quarter-hour profile is a Dirichlet posterior per weekday: the errand's counts in
//!   each quarter, shrunk towards its all-weekday profile, which is shrunk towards the
//!   location's. Walk-ins and bookings keep separate profiles (a booking calendar spreads
//!   citizens more evenly).
//! - Closures, including public holidays, are zero: only the quarters where the location
//!   and the errand are open are forecast ([`open_intervals`]), and days on which the
//!   location had no history at all are taken as closed and left out of the fit.
//!
//! The no-show rate and the mean handling time are posterior means too: the location's
//! rate and the errand's configured duration are their priors.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use super::demand::{election_days, open_intervals, DemandRecord, INTERVAL_MINUTES};
use super::organisation::{LocationSpec, ServiceSpec};
use super::Slug;

/// Expected demand for one service at one location in one interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntervalForecast {
    pub location: crate::domain::Slug,
    pub service: crate::domain::Slug,
    /// Start of the interval, UTC; the interval lasts `interval_minutes`.
    pub start: chrono::DateTime<chrono::Utc>,
    pub interval_minutes: u32,
    /// Expected walk-in arrivals in the interval.
    pub walk_ins: f64,
    /// Expected booked appointments starting in the interval (no-shows included).
    pub booked: f64,
    /// Share of booked appointments whose citizen does not come (0..=1).
    pub no_show_rate: f64,
    /// Mean handling time of one visit, minutes, from history.
    pub mean_service_minutes: f64,
}

/// The interval lengths a forecast can be asked for.
pub const INTERVAL_CHOICES: [u32; 3] = [15, 30, 60];

/// The level is the mean of this many recent weeks.
pub const RECENT_WEEKS: i64 = 8;
/// Weight of a calendar factor's prior, in citizens.
const FACTOR_PRIOR: f64 = 30.0;
/// Weight of a quarter-hour profile's prior, in citizens.
const PROFILE_PRIOR: f64 = 40.0;
/// Weight of the booked share's, the no-show rate's and the handling time's priors, in visits.
const RATE_PRIOR: f64 = 20.0;
const BACKFIT_PASSES: usize = 4;
/// Postal voting opens this many days before election day and closes this many before it.
const POSTAL_VOTES_FROM_DAYS: i64 = 21;
const POSTAL_VOTES_UNTIL_DAYS: i64 = 2;
/// The trend is damped by this factor a week, and never exceeds this growth a week.
const TREND_DAMPING: f64 = 0.9;
const MAX_WEEKLY_GROWTH: f64 = 0.03;

/// The month-start buckets: the 1st, the 2nd, the 3rd, the 4th–5th; later days are 1.
const MONTH_START_BUCKETS: usize = 4;

fn month_start_bucket(date: NaiveDate) -> Option<usize> {
    match date.day() {
        1 => Some(0),
        2 => Some(1),
        3 => Some(2),
        4 | 5 => Some(3),
        _ => None,
    }
}

/// How far into the postal-vote weeks of an election held in `zone` a date is: 0 outside,
/// rising linearly to 1 on the last day of postal voting.
pub fn postal_vote_ramp(date: NaiveDate, zone: Tz) -> f64 {
    let span = (POSTAL_VOTES_FROM_DAYS - POSTAL_VOTES_UNTIL_DAYS) as f64;
    election_days(zone)
        .map(|day| (day - date).num_days())
        .filter(|before| (POSTAL_VOTES_UNTIL_DAYS..=POSTAL_VOTES_FROM_DAYS).contains(before))
        .map(|before| (POSTAL_VOTES_FROM_DAYS - before) as f64 / span)
        .fold(0.0, f64::max)
}

/// The multiplicative calendar factors of one daily series.
#[derive(Debug, Clone, PartialEq)]
struct Calendar {
    weekday: [f64; 7],
    month: [f64; 12],
    month_start: [f64; MONTH_START_BUCKETS],
    /// Relative rise at the peak of the postal-vote ramp.
    postal_votes: f64,
}

impl Calendar {
    fn neutral() -> Self {
        Self {
            weekday: [1.0; 7],
            month: [1.0; 12],
            month_start: [1.0; MONTH_START_BUCKETS],
            postal_votes: 0.0,
        }
    }

    fn factor(&self, date: NaiveDate, zone: Tz) -> f64 {
        self.weekday[date.weekday().num_days_from_monday() as usize]
            * self.month[date.month0() as usize]
            * month_start_bucket(date).map_or(1.0, |b| self.month_start[b])
            * (1.0 + self.postal_votes * postal_vote_ramp(date, zone)).max(0.05)
    }

    /// Fits the factors of a daily series by backfitting, each shrunk towards `prior`.
    fn fit(days: &[(NaiveDate, f64)], zone: Tz, prior: &Calendar) -> Self {
        let mut fitted = prior.clone();
        if days.is_empty() {
            return fitted;
        }
        let mut level = days.iter().map(|d| d.1).sum::<f64>() / days.len() as f64;
        for _ in 0..BACKFIT_PASSES {
            let expected = |c: &Calendar, d: NaiveDate| level * c.factor(d, zone);
            fitted.weekday = refit(days, &prior.weekday, |d| {
                let i = d.weekday().num_days_from_monday() as usize;
                Some((i, expected(&fitted, d) / fitted.weekday[i]))
            });
            fitted.month = refit(days, &prior.month, |d| {
                let i = d.month0() as usize;
                Some((i, expected(&fitted, d) / fitted.month[i]))
            });
            fitted.month_start = refit(days, &prior.month_start, |d| {
                month_start_bucket(d).map(|i| (i, expected(&fitted, d) / fitted.month_start[i]))
            });
            let (mut excess, mut exposure) = (0.0, 0.0);
            for &(d, y) in days {
                let ramp = postal_vote_ramp(d, zone);
                if ramp > 0.0 {
                    let without = expected(&fitted, d) / (1.0 + fitted.postal_votes * ramp);
                    excess += y - without;
                    exposure += without * ramp;
                }
            }
            fitted.postal_votes = ((excess + FACTOR_PRIOR * prior.postal_votes)
                / (exposure + FACTOR_PRIOR))
                .max(-0.9);
            let weight: f64 = days.iter().map(|&(d, _)| fitted.factor(d, zone)).sum();
            level = days.iter().map(|d| d.1).sum::<f64>() / weight.max(f64::MIN_POSITIVE);
        }
        fitted
    }
}

/// One family of factors, refitted with the others held: `cell` says which factor a day
/// falls in and what the model expects of it without that factor.
fn refit<const N: usize>(
    days: &[(NaiveDate, f64)],
    prior: &[f64; N],
    cell: impl Fn(NaiveDate) -> Option<(usize, f64)>,
) -> [f64; N] {
    let mut observed = [0.0; N];
    let mut expected = [0.0; N];
    for &(d, y) in days {
        if let Some((i, e)) = cell(d) {
            observed[i] += y;
            expected[i] += e;
        }
    }
    std::array::from_fn(|i| (observed[i] + FACTOR_PRIOR * prior[i]) / (expected[i] + FACTOR_PRIOR))
}

/// Counts per local quarter hour (minute of the day), per weekday.
#[derive(Debug, Clone, Default)]
struct Profile {
    by_weekday: [BTreeMap<u32, f64>; 7],
}

impl Profile {
    fn add(&mut self, weekday: usize, minute: u32, count: f64) {
        *self.by_weekday[weekday].entry(minute).or_default() += count;
    }

    fn all_weekdays(&self) -> BTreeMap<u32, f64> {
        let mut all = BTreeMap::new();
        for day in &self.by_weekday {
            for (m, c) in day {
                *all.entry(*m).or_default() += c;
            }
        }
        all
    }
}

/// Shares of a day's citizens per quarter hour, for a weekday, from `counts` shrunk to `prior`.
fn shares(counts: &BTreeMap<u32, f64>, prior: &BTreeMap<u32, f64>) -> BTreeMap<u32, f64> {
    let total: f64 = counts.values().sum();
    let mut out = BTreeMap::new();
    for (m, p) in prior {
        let c = counts.get(m).copied().unwrap_or(0.0);
        out.insert(*m, (c + PROFILE_PRIOR * p) / (total + PROFILE_PRIOR));
    }
    for (m, c) in counts {
        out.entry(*m).or_insert(c / (total + PROFILE_PRIOR));
    }
    out
}

fn normalised(counts: &BTreeMap<u32, f64>) -> BTreeMap<u32, f64> {
    let total: f64 = counts.values().sum();
    if total <= 0.0 {
        return BTreeMap::new();
    }
    counts.iter().map(|(m, c)| (*m, c / total)).collect()
}

/// What is known of one errand at one location, or of the location as a whole.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// Demand (walk-ins + booked) per open day of the location.
    days: BTreeMap<NaiveDate, f64>,
    walk_ins: Profile,
    booked: Profile,
    total_walk_ins: f64,
    total_booked: f64,
    recent_walk_ins: f64,
    recent_booked: f64,
    no_shows: f64,
    served: f64,
    service_seconds: f64,
}

/// The fitted forecast of one errand at one location.
#[derive(Debug, Clone)]
struct StreamModel {
    calendar: Calendar,
    /// Deseasonalised day level at `anchor`, and its growth a week.
    level: f64,
    growth: f64,
    anchor: NaiveDate,
    booked_share: f64,
    walk_in_shares: [BTreeMap<u32, f64>; 7],
    booked_shares: [BTreeMap<u32, f64>; 7],
    no_show_rate: f64,
    mean_service_minutes: f64,
}

/// Forecasts fitted to a history, ready to forecast any period of its locations.
#[derive(Debug, Clone)]
pub struct ForecastModel {
    streams: HashMap<(Slug, Slug), StreamModel>,
}

impl ForecastModel {
    /// Fits every errand offered at `locations` to `history` (records of other locations
    /// and errands are ignored). `services` gives each errand's configured duration.
    pub fn fit(
        locations: &[LocationSpec],
        services: &[ServiceSpec],
        history: &[DemandRecord],
    ) -> Self {
        let mut streams = HashMap::new();
        for location in locations {
            let records: Vec<&DemandRecord> = history
                .iter()
                .filter(|r| r.location == location.slug)
                .collect();
            for (service, model) in fit_location(location, services, &records) {
                streams.insert((location.slug.clone(), service), model);
            }
        }
        Self { streams }
    }

    /// The forecast for `location` over the local dates `from..=to`, in intervals of
    /// `interval_minutes` (15, 30 or 60; others are taken as 15), only where it is open.
    /// Errands without history forecast no demand. Ordered by start, then errand.
    pub fn forecast(
        &self,
        location: &LocationSpec,
        from: NaiveDate,
        to: NaiveDate,
        interval_minutes: u32,
    ) -> Vec<IntervalForecast> {
        self.forecast_with_bookings(location, from, to, interval_minutes, &[])
    }

    /// As [`ForecastModel::forecast`], where the appointments already booked (`booked` of
    /// `known`, per errand and quarter hour) are a floor under the booked forecast: a
    /// quarter hour never expects fewer bookings than it has.
    pub fn forecast_with_bookings(
        &self,
        location: &LocationSpec,
        from: NaiveDate,
        to: NaiveDate,
        interval_minutes: u32,
        known: &[DemandRecord],
    ) -> Vec<IntervalForecast> {
        let interval = if INTERVAL_CHOICES.contains(&interval_minutes) {
            interval_minutes
        } else {
            INTERVAL_MINUTES
        };
        let mut already: HashMap<(&Slug, DateTime<Utc>), f64> = HashMap::new();
        for r in known.iter().filter(|r| r.location == location.slug) {
            *already.entry((&r.service, r.interval_start)).or_default() += f64::from(r.booked);
        }
        let mut out = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            for service in &location.services {
                let mut quarters = self.quarters(location, service, date);
                for q in &mut quarters {
                    if let Some(n) = already.get(&(service, q.start)) {
                        q.booked = q.booked.max(*n);
                    }
                }
                out.extend(aggregate(quarters, location.timezone, interval));
            }
        }
        out.sort_by(|a, b| (a.start, &a.service).cmp(&(b.start, &b.service)));
        out
    }

    /// The 15-minute forecasts of one errand on one local date.
    fn quarters(
        &self,
        location: &LocationSpec,
        service: &Slug,
        date: NaiveDate,
    ) -> Vec<IntervalForecast> {
        let zone = location.timezone;
        let model = self.streams.get(&(location.slug.clone(), service.clone()));
        let weekday = date.weekday().num_days_from_monday() as usize;
        open_intervals(location, service, date)
            .into_iter()
            .map(|start| {
                let minute = minute_of_day(start, zone);
                let (walk_ins, booked, no_show_rate, minutes) = match model {
                    Some(m) => {
                        let day = m.day_total(date, zone);
                        let share = |s: &BTreeMap<u32, f64>| s.get(&minute).copied().unwrap_or(0.0);
                        (
                            day * (1.0 - m.booked_share) * share(&m.walk_in_shares[weekday]),
                            day * m.booked_share * share(&m.booked_shares[weekday]),
                            m.no_show_rate,
                            m.mean_service_minutes,
                        )
                    }
                    None => (0.0, 0.0, 0.0, 0.0),
                };
                IntervalForecast {
                    location: location.slug.clone(),
                    service: service.clone(),
                    start,
                    interval_minutes: INTERVAL_MINUTES,
                    walk_ins,
                    booked,
                    no_show_rate,
                    mean_service_minutes: minutes,
                }
            })
            .collect()
    }
}

impl StreamModel {
    fn day_total(&self, date: NaiveDate, zone: Tz) -> f64 {
        let weeks = (date - self.anchor).num_days() as f64 / 7.0;
        self.level * trend(self.growth, weeks) * self.calendar.factor(date, zone)
    }
}

/// The damped trend's factor `weeks` after the anchor (before it, the trend runs back).
fn trend(growth: f64, weeks: f64) -> f64 {
    if growth == 0.0 {
        return 1.0;
    }
    // Σ φ^i for i = 1..=h, continuous in h: the growth fades as the horizon grows.
    let damped = TREND_DAMPING * (1.0 - TREND_DAMPING.powf(weeks.abs())) / (1.0 - TREND_DAMPING);
    (1.0 + growth).powf(damped * weeks.signum())
}

fn minute_of_day(start: DateTime<Utc>, zone: Tz) -> u32 {
    let local = start.with_timezone(&zone);
    local.hour() * 60 + local.minute()
}

/// Sums 15-minute forecasts into intervals of `interval` minutes, aligned on the local clock.
fn aggregate(quarters: Vec<IntervalForecast>, zone: Tz, interval: u32) -> Vec<IntervalForecast> {
    if interval == INTERVAL_MINUTES {
        return quarters;
    }
    let mut out: Vec<IntervalForecast> = Vec::new();
    for q in quarters {
        let offset = minute_of_day(q.start, zone) % interval;
        let start = q.start - chrono::Duration::minutes(i64::from(offset));
        match out.last_mut() {
            Some(last) if last.start == start => {
                let booked = last.booked + q.booked;
                let visits = last.walk_ins + last.booked + q.walk_ins + q.booked;
                if booked > 0.0 {
                    last.no_show_rate =
                        (last.no_show_rate * last.booked + q.no_show_rate * q.booked) / booked;
                }
                if visits > 0.0 {
                    last.mean_service_minutes = (last.mean_service_minutes
                        * (last.walk_ins + last.booked)
                        + q.mean_service_minutes * (q.walk_ins + q.booked))
                        / visits;
                }
                last.walk_ins += q.walk_ins;
                last.booked = booked;
            }
            _ => out.push(IntervalForecast {
                start,
                interval_minutes: interval,
                ..q
            }),
        }
    }
    out
}

/// Fits every errand offered at one location; `records` are that location's.
fn fit_location(
    location: &LocationSpec,
    services: &[ServiceSpec],
    records: &[&DemandRecord],
) -> Vec<(Slug, StreamModel)> {
    let zone = location.timezone;
    let local_date = |r: &DemandRecord| r.interval_start.with_timezone(&zone).date_naive();
    let Some(last_day) = records.iter().map(|r| local_date(r)).max() else {
        return Vec::new();
    };
    let recent_from = last_day - chrono::Duration::weeks(RECENT_WEEKS);
    // A day without any record at the location was a closure (or before it had history).
    let open_days: Vec<NaiveDate> = {
        let mut days: Vec<NaiveDate> = records.iter().map(|r| local_date(r)).collect();
        days.sort_unstable();
        days.dedup();
        days
    };
    let mut pool = Tally::default();
    let mut tallies: BTreeMap<Slug, Tally> = location
        .services
        .iter()
        .map(|s| (s.clone(), Tally::default()))
        .collect();
    for r in records {
        let Some(tally) = tallies.get_mut(&r.service) else {
            continue;
        };
        let date = local_date(r);
        let recent = date > recent_from;
        let weekday = date.weekday().num_days_from_monday() as usize;
        let minute = minute_of_day(r.interval_start, zone);
        for t in [&mut *tally, &mut pool] {
            *t.days.entry(date).or_default() += f64::from(r.walk_ins + r.booked);
            t.walk_ins.add(weekday, minute, f64::from(r.walk_ins));
            t.booked.add(weekday, minute, f64::from(r.booked));
            t.total_walk_ins += f64::from(r.walk_ins);
            t.total_booked += f64::from(r.booked);
            if recent {
                t.recent_walk_ins += f64::from(r.walk_ins);
                t.recent_booked += f64::from(r.booked);
            }
            t.no_shows += f64::from(r.no_shows);
            t.served += f64::from(r.served);
            t.service_seconds += f64::from(r.service_seconds);
        }
    }
    let series = |t: &Tally| -> Vec<(NaiveDate, f64)> {
        open_days
            .iter()
            .map(|d| (*d, t.days.get(d).copied().unwrap_or(0.0)))
            .collect()
    };
    let pool_calendar = Calendar::fit(&series(&pool), zone, &Calendar::neutral());
    let pool_no_show = if pool.total_booked > 0.0 {
        pool.no_shows / pool.total_booked
    } else {
        0.0
    };
    tallies
        .into_iter()
        .filter(|(_, t)| t.total_walk_ins + t.total_booked > 0.0)
        .map(|(slug, t)| {
            let days = series(&t);
            let calendar = Calendar::fit(&days, zone, &pool_calendar);
            let (level, growth) = level_and_trend(&days, &calendar, zone, recent_from);
            let configured = services
                .iter()
                .find(|s| s.slug == slug)
                .map_or(10.0, |s| f64::from(s.duration_minutes));
            let total = t.total_walk_ins + t.total_booked;
            let overall_booked = t.total_booked / total;
            let booked_share = (t.recent_booked + RATE_PRIOR * overall_booked)
                / (t.recent_walk_ins + t.recent_booked + RATE_PRIOR);
            let model = StreamModel {
                calendar,
                level,
                growth,
                anchor: last_day - chrono::Duration::weeks(RECENT_WEEKS / 2),
                booked_share,
                walk_in_shares: day_shares(&t.walk_ins, &pool.walk_ins),
                booked_shares: day_shares(&t.booked, &pool.booked),
                no_show_rate: ((t.no_shows + RATE_PRIOR * pool_no_show)
                    / (t.total_booked + RATE_PRIOR))
                    .clamp(0.0, 1.0),
                mean_service_minutes: (t.service_seconds / 60.0 + RATE_PRIOR * configured)
                    / (t.served + RATE_PRIOR),
            };
            (slug, model)
        })
        .collect()
}

/// Per weekday, the errand's shares of the day per quarter hour: its own counts, shrunk
/// towards its all-weekday profile, which is shrunk towards the location's.
fn day_shares(own: &Profile, pool: &Profile) -> [BTreeMap<u32, f64>; 7] {
    let own_all = own.all_weekdays();
    let all = shares(&own_all, &normalised(&pool.all_weekdays()));
    std::array::from_fn(|wd| {
        // The prior covers the quarters the location was open on this weekday in which
        // the errand has ever been seen: other hours say nothing about this day.
        let open = &pool.by_weekday[wd];
        let prior: BTreeMap<u32, f64> = all
            .iter()
            .filter(|(m, _)| open.contains_key(m) && own_all.contains_key(m))
            .map(|(m, s)| (*m, *s))
            .collect();
        shares(&own.by_weekday[wd], &normalised(&prior))
    })
}

/// The deseasonalised level of the recent weeks, and a damped weekly growth from a
/// least-squares line through the log of the deseasonalised weekly levels.
fn level_and_trend(
    days: &[(NaiveDate, f64)],
    calendar: &Calendar,
    zone: Tz,
    recent_from: NaiveDate,
) -> (f64, f64) {
    let level = |from: NaiveDate, to: NaiveDate| -> Option<(f64, f64)> {
        let (mut y, mut w) = (0.0, 0.0);
        for &(d, v) in days.iter().filter(|(d, _)| *d > from && *d <= to) {
            y += v;
            w += calendar.factor(d, zone);
        }
        (w > 0.0).then_some((y, w))
    };
    let Some(last) = days.last().map(|d| d.0) else {
        return (0.0, 0.0);
    };
    let recent = level(recent_from, last)
        .or_else(|| level(NaiveDate::MIN, last))
        .map_or(0.0, |(y, w)| y / w);
    // Weekly points over three times the recent window; weeks with no demand are skipped.
    let points: Vec<(f64, f64)> = (0..RECENT_WEEKS * 3)
        .filter_map(|k| {
            let to = last - chrono::Duration::weeks(k);
            let (y, w) = level(to - chrono::Duration::weeks(1), to)?;
            (y > 0.0).then(|| (-(k as f64), (y / w).ln()))
        })
        .collect();
    let n = points.len() as f64;
    if n < 6.0 {
        return (recent, 0.0);
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    let residual = points
        .iter()
        .map(|p| (p.1 - mean_y - slope * (p.0 - mean_x)).powi(2))
        .sum::<f64>()
        / (n - 2.0);
    // Keep only a slope that stands out of its own noise, in proportion to how far it does.
    let t2 = slope * slope / (residual / sxx).max(f64::MIN_POSITIVE);
    let growth = (slope.exp() - 1.0) * (t2 / (t2 + 4.0));
    (recent, growth.clamp(-MAX_WEEKLY_GROWTH, MAX_WEEKLY_GROWTH))
}

/// The local date an interval starts on.
pub(super) fn local_date(f: &IntervalForecast, zone: Tz) -> NaiveDate {
    f.start.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::domain::demand::synthetic_history;
    use crate::domain::organisation::OrganisationSpec;

    /// The demo municipality (a city hall, a library open late, Nuuk).
    fn demo() -> &'static OrganisationSpec {
        static SPEC: OnceLock<OrganisationSpec> = OnceLock::new();
        SPEC.get_or_init(|| {
            crate::import::parse_organisation(
                "organisation.toml",
                include_str!("../../examples/organisation.toml"),
            )
            .unwrap()
        })
    }

    /// A year of the demo's history, ending on a Sunday.
    fn history() -> &'static [DemandRecord] {
        static HISTORY: OnceLock<Vec<DemandRecord>> = OnceLock::new();
        HISTORY
            .get_or_init(|| synthetic_history(demo(), date("2025-11-30"), date("2026-11-29"), 2026))
    }

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    fn slug(raw: &str) -> Slug {
        Slug::parse(raw).unwrap()
    }

    fn location(raw: &str) -> &'static LocationSpec {
        demo()
            .locations
            .iter()
            .find(|l| l.slug.as_str() == raw)
            .unwrap()
    }

    fn fitted(history: &[DemandRecord]) -> ForecastModel {
        ForecastModel::fit(&demo().locations, &demo().services, history)
    }

    fn demand(forecasts: &[IntervalForecast], keep: impl Fn(&IntervalForecast) -> bool) -> f64 {
        forecasts
            .iter()
            .filter(|f| keep(f))
            .map(|f| f.walk_ins + f.booked)
            .sum()
    }

    fn local_minute(f: &IntervalForecast) -> u32 {
        minute_of_day(f.start, chrono_tz::Europe::Copenhagen)
    }

    /// A known truth: a weekday factor times a lunch peak, 40 citizens a quarter at base.
    fn known_rate(start: DateTime<Utc>) -> f64 {
        let local = start.with_timezone(&chrono_tz::Europe::Copenhagen);
        let weekday =
            [1.4, 1.0, 0.8, 1.0, 0.8, 1.0, 1.0][local.weekday().num_days_from_monday() as usize];
        let minute = local.hour() * 60 + local.minute();
        let lunch = if (690..840).contains(&minute) {
            2.0
        } else {
            1.0
        };
        40.0 * weekday * lunch
    }

    #[test]
    fn a_known_weekly_and_daily_profile_is_recovered() {
        let hall = location("raadhuset");
        let service = slug("vejledning");
        let history: Vec<DemandRecord> = date("2026-01-05")
            .iter_days()
            .take_while(|d| *d <= date("2026-05-24"))
            .flat_map(|d| open_intervals(hall, &service, d))
            .map(|start| DemandRecord {
                location: hall.slug.clone(),
                service: service.clone(),
                interval_start: start,
                walk_ins: known_rate(start).round() as u32,
                booked: 0,
                no_shows: 0,
                served: known_rate(start).round() as u32,
                service_seconds: known_rate(start).round() as u32 * 600,
                wait_seconds: 0,
            })
            .collect();
        let forecast = fitted(&history).forecast(hall, date("2026-05-25"), date("2026-05-29"), 15);
        let ours: Vec<&IntervalForecast> =
            forecast.iter().filter(|f| f.service == service).collect();
        assert_eq!(
            ours.len(),
            18 * 3 + 28 + 14,
            "every open quarter of the week"
        );
        for f in ours {
            let truth = known_rate(f.start);
            assert!(
                (f.walk_ins / truth - 1.0).abs() < 0.05,
                "{}: {:.1} vs {truth}",
                f.start,
                f.walk_ins
            );
            assert_eq!(f.booked, 0.0);
            assert!((f.mean_service_minutes - 10.0).abs() < 0.01);
        }
    }

    #[test]
    fn a_closure_forecasts_nothing_and_open_days_around_it_do() {
        let hall = location("raadhuset");
        // Closed 24–26 December 2026 (Thursday to Saturday).
        let forecast = fitted(history()).forecast(hall, date("2026-12-21"), date("2026-12-25"), 15);
        let on = |day: &str| {
            let day = date(day);
            demand(&forecast, |f| local_date(f, hall.timezone) == day)
        };
        assert_eq!(on("2026-12-24"), 0.0);
        assert_eq!(on("2026-12-25"), 0.0);
        assert!(!forecast
            .iter()
            .any(|f| local_date(f, hall.timezone) >= date("2026-12-24")));
        assert!(on("2026-12-21") > 20.0, "Monday {}", on("2026-12-21"));
        assert!(on("2026-12-23") > 10.0);
    }

    #[test]
    fn june_lifts_passports_and_only_passports() {
        let history = synthetic_history(demo(), date("2025-05-01"), date("2026-04-30"), 11);
        let model = fitted(&history);
        let hall = location("raadhuset");
        let week = |from: &str, to: &str, service: &str| {
            let f = model.forecast(hall, date(from), date(to), 15);
            demand(&f, |f| f.service.as_str() == service)
        };
        let passports =
            week("2026-06-08", "2026-06-12", "pas") / week("2026-03-09", "2026-03-13", "pas");
        let guidance = week("2026-06-08", "2026-06-12", "vejledning")
            / week("2026-03-09", "2026-03-13", "vejledning");
        assert!(passports > 1.5, "passports June/March {passports:.2}");
        assert!(
            (0.8..1.2).contains(&guidance),
            "guidance June/March {guidance:.2}"
        );
    }

    #[test]
    fn the_monday_lunch_peak_and_the_job_centre_month_start_are_learnt() {
        let model = fitted(history());
        let hall = location("raadhuset");
        let monday = model.forecast(hall, date("2026-12-07"), date("2026-12-07"), 15);
        let walk_ins = |from: u32, to: u32| {
            monday
                .iter()
                .filter(|f| (from..to).contains(&local_minute(f)))
                .map(|f| f.walk_ins)
                .sum::<f64>()
                / f64::from((to - from) / 15)
        };
        let lunch = walk_ins(13 * 60, 14 * 60);
        let morning = walk_ins(10 * 60, 11 * 60);
        assert!(
            lunch > 1.3 * morning,
            "lunch {lunch:.2} vs morning {morning:.2}"
        );
        let tuesday = model.forecast(hall, date("2026-12-08"), date("2026-12-08"), 15);
        assert!(
            demand(&monday, |_| true) > 1.15 * demand(&tuesday, |_| true),
            "Mondays are busier"
        );
        let job = model.streams[&(slug("raadhuset"), slug("jobsamtale"))]
            .calendar
            .month_start[0];
        let guidance = model.streams[&(slug("raadhuset"), slug("vejledning"))]
            .calendar
            .month_start[0];
        assert!(
            job > 1.4 && job > guidance + 0.2,
            "the 1st: job centre {job:.2}, guidance {guidance:.2}"
        );
    }

    #[test]
    fn postal_votes_lift_general_service_and_not_passports() {
        let model = fitted(history());
        let lift = |s: &str| {
            model.streams[&(slug("raadhuset"), slug(s))]
                .calendar
                .postal_votes
        };
        assert!(
            lift("vejledning") > 0.35,
            "guidance {:.2}",
            lift("vejledning")
        );
        assert!(lift("pas").abs() < 0.2, "passports {:.2}", lift("pas"));
        assert_eq!(
            postal_vote_ramp(date("2026-10-27"), chrono_tz::Europe::Copenhagen),
            0.0
        );
        assert_eq!(
            postal_vote_ramp(date("2026-10-25"), chrono_tz::Europe::Copenhagen),
            1.0
        );
    }

    #[test]
    fn rates_and_handling_times_come_from_history() {
        let model = fitted(history());
        let stream = |s: &str| &model.streams[&(slug("raadhuset"), slug(s))];
        let passports = stream("pas");
        assert!(
            (0.08..0.15).contains(&passports.no_show_rate),
            "{}",
            passports.no_show_rate
        );
        assert!((passports.mean_service_minutes - 15.0).abs() < 1.0);
        assert!(passports.booked_share > 0.99, "booking required");
        assert!(stream("vejledning").booked_share < 0.01, "walk-in only");
        let job = stream("jobsamtale");
        assert!(
            (0.24..0.32).contains(&job.no_show_rate),
            "{}",
            job.no_show_rate
        );
    }

    #[test]
    fn bookings_already_made_are_a_floor_under_the_booked_forecast() {
        let model = fitted(history());
        let hall = location("raadhuset");
        let day = date("2026-12-07");
        let plain = model.forecast(hall, day, day, 60);
        let ten: DateTime<Utc> = "2026-12-07T09:15:00Z".parse().unwrap();
        let known = DemandRecord {
            location: hall.slug.clone(),
            service: slug("pas"),
            interval_start: ten,
            walk_ins: 0,
            booked: 9,
            no_shows: 0,
            served: 0,
            service_seconds: 0,
            wait_seconds: 0,
        };
        let floored = model.forecast_with_bookings(hall, day, day, 60, &[known]);
        let pas_at_ten = |f: &[IntervalForecast]| {
            f.iter()
                .find(|f| {
                    f.service.as_str() == "pas" && f.start == ten - chrono::Duration::minutes(15)
                })
                .unwrap()
                .booked
        };
        // 9 in the quarter from 10:15 local, plus the other three quarters of the hour.
        assert!(pas_at_ten(&plain) < 9.0);
        assert!(pas_at_ten(&floored) > 9.0 && pas_at_ten(&floored) < 9.0 + pas_at_ten(&plain));
        let others = |f: &[IntervalForecast]| demand(f, |f| f.service.as_str() != "pas");
        assert_eq!(others(&plain), others(&floored));
    }

    #[test]
    fn longer_intervals_sum_the_quarters_on_the_local_clock() {
        let model = fitted(history());
        let library = location("taastrup-bibliotek");
        let day = date("2026-12-03");
        let quarters = model.forecast(library, day, day, 15);
        let hours = model.forecast(library, day, day, 60);
        assert!(hours
            .iter()
            .all(|f| f.interval_minutes == 60 && local_minute(f) % 60 == 0));
        let total = |f: &[IntervalForecast]| demand(f, |_| true);
        assert!((total(&quarters) - total(&hours)).abs() < 1e-9);
        assert_eq!(
            hours
                .iter()
                .filter(|f| f.service.as_str() == "vejledning")
                .count(),
            8,
            "10:00–18:00"
        );
    }
}
