//! The forecast's figures: the interval WAPE of a backtest on the demo's year of history
//! (against seasonal-naive and the Poisson noise floor), the time to fit and forecast a
//! week of every demo location, and the time to simulate that week.
//!
//! `cargo bench --bench forecast`

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use skranke::domain::demand::synthetic_history;
use skranke::domain::erlang::Target;
use skranke::domain::forecast::{backtest, ForecastModel};
use skranke::domain::simulation::{simulate, StaffedInterval};

const WEEKS: u32 = 8;
const RUNS: u32 = 20;

fn main() {
    let spec = skranke::app::demo::organisation().unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let history = synthetic_history(&spec, last - Duration::days(364), last, 2026);
    println!(
        "demo history: {} locations, {} errand-interval records, {} to {last}",
        spec.locations.len(),
        history.len(),
        last - Duration::days(364)
    );

    let started = Instant::now();
    let b = backtest(&spec.locations, &spec.services, &history, WEEKS);
    println!(
        "backtest, last {} weeks held out one at a time ({} open quarter hours × errands, \
         {:.0} citizens), walk-ins + booked per 15 minutes: forecast WAPE {:.1} %, \
         seasonal-naive WAPE {:.1} %, Poisson noise floor {:.1} % ({:.1} s)",
        b.weeks,
        b.intervals,
        b.actual,
        100.0 * b.forecast_wape,
        100.0 * b.seasonal_naive_wape,
        100.0 * b.noise_floor_wape,
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let model = ForecastModel::fit(&spec.locations, &spec.services, &history);
    let fitted = started.elapsed();
    let monday = last + Duration::days(1);
    let started = Instant::now();
    let week: Vec<_> = spec
        .locations
        .iter()
        .flat_map(|l| model.forecast(l, monday, monday + Duration::days(6), 15))
        .collect();
    let forecast = started.elapsed();
    println!(
        "fit on the year: {:.1} ms; forecast of the week from {monday} for all {} locations \
         ({} errand-intervals): {:.2} ms",
        fitted.as_secs_f64() * 1e3,
        spec.locations.len(),
        week.len(),
        forecast.as_secs_f64() * 1e3
    );

    let staffed: Vec<StaffedInterval> = week
        .iter()
        .map(|f| StaffedInterval {
            location: f.location.clone(),
            start: f.start,
            desks: 3,
        })
        .collect();
    let target = Target::service_level(0.8, 600.0).unwrap();
    let started = Instant::now();
    let simulated = simulate(&week, &staffed, &target, RUNS, 1);
    let met = simulated.iter().filter(|s| s.met).count();
    println!(
        "simulation of that week, 3 desks everywhere, {RUNS} runs: {:.0} ms; {} of {} intervals \
         meet 80 % within 10 minutes",
        started.elapsed().as_secs_f64() * 1e3,
        met,
        simulated.len()
    );
}
