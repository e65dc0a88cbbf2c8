//! The forecast's figures: the interval WAPE of a backtest on the demo's year of history
//! (against seasonal-naive and the Poisson noise floor), the time to fit and forecast a
//! week of every demo location, and the time to simulate that week with Erlang C's desks.
//!
//! `cargo bench --bench forecast`

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use skranke::domain::backtest::backtest;
use skranke::domain::demand::{synthetic_history, DemandModel};
use skranke::domain::erlang::{self, Load, Target};
use skranke::domain::forecast::ForecastModel;
use skranke::domain::simulation::{simulate, StaffedInterval};
use skranke::domain::Slug;

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

    // The synthetic history's own model knows the true rates: how far the forecast is from
    // them, apart from any noise.
    let truth = DemandModel::new(&spec);
    let (mut off, mut total) = (0.0, 0.0);
    for f in &week {
        let expected = truth
            .expected(&f.location, &f.service, f.start)
            .map_or(0.0, |e| e.walk_ins + e.booked);
        off += (f.walk_ins + f.booked - expected).abs();
        total += expected;
    }
    println!(
        "that week against the true rates of the demo's demand model: rate WAPE {:.1} % \
         (Σ|forecast − true rate| / Σ true rate)",
        100.0 * off / total
    );

    // Desks per interval from Erlang C on the interval's whole load (walk-ins and the booked
    // who come), so the simulation checks the requirement it is meant to check.
    let target = Target::service_level(0.8, 600.0).unwrap();
    let mut loads: BTreeMap<(String, DateTime<Utc>), (f64, f64)> = BTreeMap::new();
    for f in &week {
        let visits = f.walk_ins + f.booked * (1.0 - f.no_show_rate);
        let entry = loads.entry((f.location.to_string(), f.start)).or_default();
        entry.0 += visits;
        entry.1 += visits * f.mean_service_minutes;
    }
    let staffed: Vec<StaffedInterval> = loads
        .iter()
        .map(|((location, start), (visits, minutes))| {
            let handling = if *visits > 0.0 { minutes / visits } else { 1.0 };
            let load = Load::new(*visits, 15.0, handling.max(0.1), None).unwrap();
            StaffedInterval {
                location: Slug::parse(location).unwrap(),
                start: *start,
                desks: erlang::required(&load, &target, None, 0.0)
                    .unwrap()
                    .raw_positions
                    .max(1),
            }
        })
        .collect();
    let desk_hours: f64 = staffed.iter().map(|s| f64::from(s.desks) / 4.0).sum();
    let started = Instant::now();
    let simulated = simulate(&week, &staffed, &target, RUNS, 1);
    let met = simulated.iter().filter(|s| s.met).count();
    println!(
        "simulation of that week with Erlang C's desks per quarter hour ({desk_hours:.0} desk \
         hours), {RUNS} runs: {:.0} ms; {met} of {} intervals ({:.0} %) meet 80 % within 10 minutes",
        started.elapsed().as_secs_f64() * 1e3,
        simulated.len(),
        100.0 * met as f64 / simulated.len() as f64
    );
}
