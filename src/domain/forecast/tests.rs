//! The forecast against a known truth and against a year of the demo's synthetic history.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::interval::minute_of_day;
use super::*;
use crate::domain::demand::{open_intervals, synthetic_history, DemandRecord};
use crate::domain::organisation::{LocationSpec, OrganisationSpec};
use crate::domain::Slug;

/// The demo municipality (a city hall, a library open late, Nuuk).
fn demo() -> &'static OrganisationSpec {
    static SPEC: OnceLock<OrganisationSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        crate::import::parse_organisation(
            "organisation.toml",
            include_str!("../../../examples/organisation.toml"),
        )
        .unwrap()
    })
}

/// A year of the demo's history, ending on a Sunday.
fn history() -> &'static [DemandRecord] {
    static HISTORY: OnceLock<Vec<DemandRecord>> = OnceLock::new();
    HISTORY.get_or_init(|| synthetic_history(demo(), date("2025-11-30"), date("2026-11-29"), 2026))
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
    let ours: Vec<&IntervalForecast> = forecast.iter().filter(|f| f.service == service).collect();
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
            .find(|f| f.service.as_str() == "pas" && f.start == ten - chrono::Duration::minutes(15))
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
