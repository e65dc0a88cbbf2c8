//! Backtest of the demand forecast: how well it would have forecast weeks already seen.
//!
//! Each held-out week is forecast from the history before it alone and scored by interval
//! WAPE against two references: seasonal-naive (the same quarter hour a week before), which
//! the forecast must beat, and the Poisson noise floor, which no forecast can beat because
//! the counts are random around their rates.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::demand::DemandRecord;
use super::forecast::{local_date, ForecastModel};
use super::organisation::{LocationSpec, ServiceSpec};
use super::Slug;

/// Interval WAPE (Σ|actual − forecast| / Σ actual) of the forecast and of two baselines on
/// held-out weeks, over walk-ins plus bookings per errand and quarter hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub weeks: u32,
    /// Open quarter hours scored (errand × location × interval).
    pub intervals: usize,
    /// Citizens in the held-out weeks.
    pub actual: f64,
    pub forecast_wape: f64,
    /// The same interval one week before (or the last open week before that).
    pub seasonal_naive_wape: f64,
    /// What a forecast of the exact expected rates would still score, since the counts
    /// are Poisson around them: Σ E|Poisson(λ) − λ| / Σ λ, with the forecast's λ.
    pub noise_floor_wape: f64,
}

/// Scores the forecast on the last `weeks` whole weeks (Monday to Sunday) of `history`:
/// each week is forecast from the history before it alone.
pub fn backtest(
    locations: &[LocationSpec],
    services: &[ServiceSpec],
    history: &[DemandRecord],
    weeks: u32,
) -> Backtest {
    let local = |r: &DemandRecord| {
        let zone = zone_of(locations, &r.location);
        r.interval_start.with_timezone(&zone).naive_local()
    };
    let actual: HashMap<(&Slug, &Slug, DateTime<Utc>), f64> = history
        .iter()
        .map(|r| {
            (
                (&r.location, &r.service, r.interval_start),
                f64::from(r.walk_ins + r.booked),
            )
        })
        .collect();
    let by_local: HashMap<(&Slug, &Slug, chrono::NaiveDateTime), f64> = history
        .iter()
        .map(|r| {
            (
                (&r.location, &r.service, local(r)),
                f64::from(r.walk_ins + r.booked),
            )
        })
        .collect();
    let open_days: HashSet<(&Slug, NaiveDate)> = history
        .iter()
        .map(|r| (&r.location, local(r).date()))
        .collect();
    let last = history.iter().map(|r| local(r).date()).max();
    let Some(last) = last else {
        return Backtest {
            weeks: 0,
            intervals: 0,
            actual: 0.0,
            forecast_wape: 0.0,
            seasonal_naive_wape: 0.0,
            noise_floor_wape: 0.0,
        };
    };
    // The Monday after the last whole week.
    let end = last + chrono::Duration::days(1)
        - chrono::Duration::days(i64::from((last.weekday().num_days_from_monday() + 1) % 7));
    let (mut sum_actual, mut err_forecast, mut err_naive, mut err_floor, mut sum_rate) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut intervals = 0;
    for k in (1..=i64::from(weeks)).rev() {
        let monday = end - chrono::Duration::weeks(k);
        let before: Vec<DemandRecord> = history
            .iter()
            .filter(|r| local(r).date() < monday)
            .cloned()
            .collect();
        let model = ForecastModel::fit(locations, services, &before);
        for location in locations {
            let week = model.forecast(location, monday, monday + chrono::Duration::days(6), 15);
            for f in week {
                if !open_days.contains(&(&location.slug, local_date(&f, location.timezone))) {
                    continue;
                }
                let key = (&f.location, &f.service, f.start);
                let observed = actual.get(&key).copied().unwrap_or(0.0);
                let rate = f.walk_ins + f.booked;
                let when = f.start.with_timezone(&location.timezone).naive_local();
                let naive = (1..=4)
                    .map(|w| when - chrono::Duration::weeks(w))
                    .find(|t| open_days.contains(&(&location.slug, t.date())))
                    .map_or(0.0, |t| {
                        by_local
                            .get(&(&f.location, &f.service, t))
                            .copied()
                            .unwrap_or(0.0)
                    });
                sum_actual += observed;
                err_forecast += (observed - rate).abs();
                err_naive += (observed - naive).abs();
                err_floor += poisson_mean_absolute_deviation(rate);
                sum_rate += rate;
                intervals += 1;
            }
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    Backtest {
        weeks,
        intervals,
        actual: sum_actual,
        forecast_wape: ratio(err_forecast, sum_actual),
        seasonal_naive_wape: ratio(err_naive, sum_actual),
        noise_floor_wape: ratio(err_floor, sum_rate),
    }
}

fn zone_of(locations: &[LocationSpec], slug: &Slug) -> Tz {
    locations
        .iter()
        .find(|l| &l.slug == slug)
        .map_or(chrono_tz::UTC, |l| l.timezone)
}

/// E|X − λ| for X ~ Poisson(λ): 2 λ^(⌊λ⌋+1) e^(−λ) / ⌊λ⌋!, in logarithms for large λ.
pub fn poisson_mean_absolute_deviation(lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    let k = lambda.floor();
    let ln_factorial: f64 = (1..=k as u64).map(|i| (i as f64).ln()).sum();
    2.0 * ((k + 1.0) * lambda.ln() - lambda - ln_factorial).exp()
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::domain::demand::synthetic_history;
    use crate::domain::organisation::OrganisationSpec;

    /// The demo municipality and a year of its history, ending on a Sunday.
    fn demo() -> &'static (OrganisationSpec, Vec<DemandRecord>) {
        static DEMO: OnceLock<(OrganisationSpec, Vec<DemandRecord>)> = OnceLock::new();
        DEMO.get_or_init(|| {
            let spec = crate::import::parse_organisation(
                "organisation.toml",
                include_str!("../../examples/organisation.toml"),
            )
            .unwrap();
            let day = |raw: &str| raw.parse::<NaiveDate>().unwrap();
            let history = synthetic_history(&spec, day("2025-11-30"), day("2026-11-29"), 2026);
            (spec, history)
        })
    }

    #[test]
    fn the_forecast_beats_seasonal_naive_on_the_demo_history() {
        let (spec, history) = demo();
        let report = backtest(&spec.locations, &spec.services, history, 4);
        assert!(report.intervals > 1000, "{report:?}");
        assert!(
            report.forecast_wape < 0.85 * report.seasonal_naive_wape,
            "{report:?}"
        );
        // Nothing scores below the Poisson noise, and a good forecast comes close to it.
        assert!(
            report.forecast_wape > 0.9 * report.noise_floor_wape,
            "{report:?}"
        );
        assert!(
            report.forecast_wape < 1.2 * report.noise_floor_wape,
            "{report:?}"
        );
    }

    #[test]
    fn the_poisson_noise_floor_is_the_mean_absolute_deviation() {
        assert!((poisson_mean_absolute_deviation(1.0) - 2.0 / std::f64::consts::E).abs() < 1e-12);
        assert_eq!(poisson_mean_absolute_deviation(0.0), 0.0);
        // Large λ: close to the normal's √(2λ/π).
        let large = poisson_mean_absolute_deviation(400.0);
        assert!((large / (800.0 / std::f64::consts::PI).sqrt() - 1.0).abs() < 0.01);
    }
}
