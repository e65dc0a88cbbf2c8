//! Fitting one location's errands to its history: what is known of each (a tally), its
//! calendar, level and trend, profiles, booked share, no-show rate and handling time.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::calendar::Calendar;
use super::interval::minute_of_day;
use super::profile::{day_shares, Profile};
use super::stream::StreamModel;
use crate::domain::demand::DemandRecord;
use crate::domain::organisation::{LocationSpec, ServiceSpec};
use crate::domain::Slug;

/// The level is the mean of this many recent weeks.
pub const RECENT_WEEKS: i64 = 8;
/// Weight of the booked share's, the no-show rate's and the handling time's priors, in visits.
const RATE_PRIOR: f64 = 20.0;
/// The trend never exceeds this growth a week.
const MAX_WEEKLY_GROWTH: f64 = 0.03;

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

/// Fits every errand offered at one location; `records` are that location's.
pub(super) fn fit_location(
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
