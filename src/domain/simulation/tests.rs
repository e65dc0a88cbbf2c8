//! The simulated day: ample and scarce desks, seeds, Erlang C on a stationary load, and
//! appointments before a backlog.

use chrono::Duration;

use super::*;
use crate::domain::erlang::{self, Load};

fn slug(raw: &str) -> Slug {
    Slug::parse(raw).unwrap()
}

fn monday() -> DateTime<Utc> {
    "2027-04-05T08:00:00Z".parse().unwrap()
}

/// `n` quarter hours from Monday 08:00 UTC of one walk-in errand, `walk_ins` each.
fn day(n: i64, walk_ins: f64, booked: f64, minutes: f64) -> Vec<IntervalForecast> {
    (0..n)
        .map(|i| IntervalForecast {
            location: slug("raadhuset"),
            service: slug("vejledning"),
            start: monday() + Duration::minutes(15 * i),
            interval_minutes: 15,
            walk_ins,
            booked,
            no_show_rate: 0.0,
            mean_service_minutes: minutes,
        })
        .collect()
}

fn desks(forecast: &[IntervalForecast], desks: u32) -> Vec<StaffedInterval> {
    forecast
        .iter()
        .map(|f| StaffedInterval {
            location: f.location.clone(),
            start: f.start,
            desks,
        })
        .collect()
}

fn within_ten() -> Target {
    Target::service_level(0.8, 600.0).unwrap()
}

#[test]
fn ample_desks_mean_no_waiting_and_every_interval_meets_the_target() {
    let plan = day(24, 6.0, 0.0, 5.0);
    let result = simulate(&plan, &desks(&plan, 20), &within_ten(), 10, 1);
    assert_eq!(result.len(), 24);
    for r in &result {
        assert!(r.mean_wait_minutes < 0.01, "{r:?}");
        assert_eq!(r.served_within_share, 1.0);
        assert!(r.met);
    }
}

#[test]
fn one_desk_under_heavy_load_lets_waits_grow_over_the_day() {
    // 4 citizens of 5 minutes a quarter hour: 20 desk-minutes in 15.
    let plan = day(24, 4.0, 0.0, 5.0);
    let result = simulate(&plan, &desks(&plan, 1), &within_ten(), 10, 2);
    let mean = |r: &[SimulatedInterval]| {
        r.iter().map(|i| i.mean_wait_minutes).sum::<f64>() / r.len() as f64
    };
    let (early, late) = (mean(&result[..4]), mean(&result[20..]));
    assert!(
        late > early + 30.0,
        "early {early:.1} min, late {late:.1} min"
    );
    assert!(result[20..].iter().all(|r| !r.met));
    // Against an average-wait target the share says met or not.
    let average = simulate(
        &plan,
        &desks(&plan, 1),
        &Target::average_wait(1800.0).unwrap(),
        3,
        2,
    );
    assert!(average
        .iter()
        .all(|r| r.served_within_share == if r.met { 1.0 } else { 0.0 }));
    assert!(average.iter().any(|r| !r.met));
}

#[test]
fn the_same_seed_gives_the_same_simulation() {
    let plan = day(16, 5.0, 1.0, 6.0);
    let staffed = desks(&plan, 2);
    let once = simulate(&plan, &staffed, &within_ten(), 3, 42);
    assert_eq!(once, simulate(&plan, &staffed, &within_ten(), 3, 42));
    assert_ne!(once, simulate(&plan, &staffed, &within_ten(), 3, 43));
}

#[test]
fn a_stationary_load_waits_as_erlang_c_says() {
    // Four desks, 9.6 citizens of 5 minutes a quarter hour: 3.2 Erlang, 80 % occupancy.
    // A long day, so that the empty start weighs little.
    let plan = day(160, 9.6, 0.0, 5.0);
    let result = simulate(&plan, &desks(&plan, 4), &within_ten(), 40, 7);
    let steady = &result[8..];
    let simulated = steady.iter().map(|r| r.mean_wait_minutes).sum::<f64>() / steady.len() as f64;
    let load = Load::new(9.6, 15.0, 5.0, None).unwrap();
    let erlang = erlang::average_wait_seconds(4, &load) / 60.0;
    assert!(
        (simulated / erlang - 1.0).abs() < 0.25,
        "simulated {simulated:.2} min vs Erlang C {erlang:.2} min"
    );
    let share = steady.iter().map(|r| r.served_within_share).sum::<f64>() / steady.len() as f64;
    let level = erlang::service_level(4, &load, 600.0);
    assert!((share - level).abs() < 0.05, "{share:.3} vs {level:.3}");
}

#[test]
fn due_appointments_go_before_a_backlog_of_walk_ins_and_no_shows_free_the_desk() {
    // One desk: two hours of walk-ins that overload it, then two hours of bookings only.
    let walk_ins = day(8, 4.0, 0.0, 5.0);
    let bookings = day(16, 0.0, 1.0, 5.0)
        .into_iter()
        .skip(8)
        .map(|f| IntervalForecast {
            service: slug("pas"),
            ..f
        });
    let plan: Vec<IntervalForecast> = walk_ins.into_iter().chain(bookings).collect();
    let staffed = desks(&plan, 1);
    let result = simulate(&plan, &staffed, &within_ten(), 20, 5);
    assert!(
        result[7].mean_wait_minutes > 20.0,
        "backlog {:?}",
        result[7]
    );
    let booked = result[8..12]
        .iter()
        .map(|r| r.mean_wait_minutes)
        .sum::<f64>()
        / 4.0;
    assert!(booked < 8.0, "the booked are called first: {booked:.1} min");

    let nobody_comes: Vec<IntervalForecast> = plan
        .iter()
        .map(|f| IntervalForecast {
            no_show_rate: 1.0,
            ..f.clone()
        })
        .collect();
    let without = simulate(&nobody_comes, &staffed, &within_ten(), 20, 5);
    assert!(
        without[7].mean_wait_minutes < result[7].mean_wait_minutes,
        "no-shows leave the desk to the walk-ins"
    );
    assert!(without[8..].iter().all(|r| r.mean_wait_minutes == 0.0));
}

#[test]
fn the_summary_counts_each_citizen_once_across_intervals() {
    let interval = |served: u64, mean: f64, within: f64, waits: &[(usize, u64)]| {
        let mut bins = vec![0; 241];
        for (minute, n) in waits {
            bins[*minute] = *n;
        }
        SimulatedInterval {
            location: crate::domain::Slug::parse("raadhuset").unwrap(),
            start: monday(),
            mean_wait_minutes: mean,
            served_within_share: within,
            met: true,
            served,
            waits: bins,
        }
    };
    // Eight citizens waited under a minute, two waited 30 and 45 minutes.
    let quiet = interval(6, 0.5, 1.0, &[(0, 6)]);
    let busy = interval(4, 19.5, 0.5, &[(0, 2), (30, 1), (45, 1)]);
    let summary = summarise(&[quiet, busy]);
    assert!((summary.mean_wait_minutes - (6.0 * 0.5 + 4.0 * 19.5) / 10.0).abs() < 1e-9);
    assert_eq!(
        summary.p80_wait_minutes, 0.0,
        "eight of ten waited under a minute"
    );
    assert!((summary.within_target_share - 0.8).abs() < 1e-9);
    let busier = interval(4, 19.5, 0.5, &[(0, 1), (30, 2), (45, 1)]);
    let summary = summarise(&[interval(6, 0.5, 1.0, &[(0, 6)]), busier]);
    assert_eq!(summary.p80_wait_minutes, 30.0);
}
