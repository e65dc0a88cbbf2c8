//! The roster optimiser at the size of a large municipality: 10 locations × 7 days ×
//! 15-minute intervals × 150 staff, synthetic. Prints the time to a feasible roster, the
//! time to one within 2 % of the lower bound, and the final gap.
//!
//! `cargo bench --bench roster` (microlp); `cargo bench --bench roster --features highs`
//! runs the same on HiGHS.

use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use skranke::domain::hours::TimeRange;
use skranke::domain::roster::{
    check_rules, solve, Absence, Mode, Need, Problem, ShiftTemplate, Site, Weights, Worker,
};
use skranke::domain::Slug;

const LOCATIONS: usize = 10;
const DAYS: u32 = 7;
const STAFF: usize = 150;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Open 09:00–17:00 on weekdays (one in three until 18:00), 10:00–13:00 on Saturdays, closed
/// on Sundays; a lunch peak and an after-work peak, busier on Mondays and at bigger sites.
fn problem() -> Problem {
    let monday = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
    let dates: Vec<NaiveDate> = (0..DAYS)
        .map(|d| monday + Duration::days(i64::from(d)))
        .collect();
    let services = [slug("pas"), slug("koerekort"), slug("vejledning")];
    let sites: Vec<Site> = (0..LOCATIONS)
        .map(|l| Site {
            slug: slug(&format!("sted-{l}")),
            zone: chrono_tz::Europe::Copenhagen,
            services: services.to_vec(),
        })
        .collect();
    let mut needs = Vec::new();
    for (l, site) in sites.iter().enumerate() {
        let size = 1.0 + (l % 4) as f64 * 0.5;
        for (d, date) in dates.iter().enumerate() {
            let (open, close) = match d {
                0..=4 => (t(9, 0), if l % 3 == 0 { t(18, 0) } else { t(17, 0) }),
                5 => (t(10, 0), t(13, 0)),
                _ => continue,
            };
            let weekday = if d == 0 { 1.3 } else { 1.0 };
            let mut at = open;
            while at < close {
                let hour = f64::from(at.hour_f());
                let lunch = (-((hour - 12.5) / 1.2).powi(2)).exp();
                let evening = (-((hour - 17.0) / 0.7).powi(2)).exp();
                let staff = (size * weekday * (1.5 + 2.5 * lunch + 2.0 * evening)).round() as u32;
                let local = chrono_tz::Europe::Copenhagen
                    .from_local_datetime(&date.and_time(at))
                    .single()
                    .unwrap();
                needs.push(Need {
                    location: site.slug.clone(),
                    start: local.with_timezone(&Utc),
                    staff,
                });
                at += Duration::minutes(15);
            }
        }
    }
    let template = |name: &str,
                    start: NaiveTime,
                    end: NaiveTime,
                    breaks: &[(NaiveTime, NaiveTime)]| ShiftTemplate {
        slug: slug(name),
        start,
        end,
        breaks: breaks
            .iter()
            .map(|(a, b)| TimeRange::new(*a, *b).unwrap())
            .collect(),
        locations: Vec::new(),
    };
    let templates = vec![
        template("dag", t(8, 45), t(16, 15), &[(t(11, 30), t(12, 0))]),
        template(
            "dag-sen-frokost",
            t(8, 45),
            t(16, 15),
            &[(t(12, 30), t(13, 0))],
        ),
        template("sen", t(11, 45), t(18, 0), &[(t(15, 0), t(15, 15))]),
        template("formiddag", t(8, 45), t(13, 0), &[]),
        template("middag", t(11, 0), t(15, 0), &[]),
        template("eftermiddag", t(13, 0), t(17, 0), &[]),
        template("aften", t(15, 0), t(18, 0), &[]),
        template("loerdag", t(9, 45), t(13, 15), &[]),
    ];
    let workers: Vec<Worker> = (0..STAFF)
        .map(|i| {
            let home = i % LOCATIONS;
            let mut locations = vec![sites[home].slug.clone()];
            if i % 3 != 0 {
                locations.push(sites[(home + 1) % LOCATIONS].slug.clone());
            }
            if i % 5 == 0 {
                locations.push(sites[(home + 3) % LOCATIONS].slug.clone());
            }
            Worker {
                name: format!("medarbejder-{i:03}"),
                services: if i % 7 == 0 {
                    vec![services[2].clone()]
                } else {
                    services.to_vec()
                },
                home: Some(sites[home].slug.clone()),
                locations,
                contract_minutes: [37 * 60, 37 * 60, 30 * 60, 25 * 60][i % 4],
                absences: if i % 11 == 0 {
                    vec![Absence {
                        from: dates[1],
                        to: dates[3],
                    }]
                } else {
                    Vec::new()
                },
                preferred_templates: if i % 2 == 0 {
                    vec![slug("dag")]
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    Problem {
        sites,
        dates,
        interval_minutes: 15,
        needs,
        templates,
        workers,
        weights: Weights::default(),
    }
}

trait HourF {
    fn hour_f(&self) -> f32;
}

impl HourF for NaiveTime {
    fn hour_f(&self) -> f32 {
        use chrono::Timelike;
        self.hour() as f32 + self.minute() as f32 / 60.0
    }
}

fn main() {
    let p = problem();
    println!(
        "roster: {} locations × {} days × 15-minute intervals ({} needs) × {} staff, {} templates",
        LOCATIONS,
        DAYS,
        p.needs.len(),
        p.workers.len(),
        p.templates.len()
    );
    let started = Instant::now();
    let mut within = None;
    let mut last = None;
    for (mode, name) in [
        (Mode::Rounded, "rounded LP"),
        (Mode::Exact, "exact per location-day"),
    ] {
        let begun = Instant::now();
        let roster = solve(&p, mode).expect("the benchmark problem solves");
        let took = begun.elapsed();
        let breaches = check_rules(&p, &roster.shifts).len();
        let since_start = started.elapsed();
        println!(
            "  {name:<24} {:>7.2} s: objective {:.2}, lower bound {:.2} (LP {:.2}), gap {:.2} %, \
             {} shifts, uncovered {} / over {} staff-intervals, travel {}, rule breaches {breaches}",
            took.as_secs_f64(),
            roster.objective,
            roster.lower_bound,
            roster.lp_relaxation,
            roster.gap * 100.0,
            roster.shifts.len(),
            roster.parts.uncovered,
            roster.parts.over,
            roster.parts.travel,
        );
        if mode == Mode::Rounded {
            println!("  time to a feasible roster: {:.2} s", took.as_secs_f64());
        }
        if within.is_none() && roster.gap <= 0.02 {
            within = Some((name, since_start));
        }
        last = Some(roster);
    }
    match within {
        Some((name, at)) => println!(
            "  time to within 2 % of the bound: {:.2} s ({name})",
            at.as_secs_f64()
        ),
        None => println!("  within 2 % of the bound: not reached"),
    }
    let last = last.unwrap();
    // The best bound seen is the exact run's; measure the rounded run against it too.
    println!("  final gap: {:.2} %", last.gap * 100.0);
}
