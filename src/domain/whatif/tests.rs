use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Copenhagen;
use chrono_tz::Tz;

use super::*;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

/// Local time on Monday 5 April 2027 (summer time) at the Copenhagen location.
fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Copenhagen
        .with_ymd_and_hms(2027, 4, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn interval(
    location: &str,
    service: &str,
    start: DateTime<Utc>,
    walk_ins: f64,
    booked: f64,
) -> IntervalForecast {
    IntervalForecast {
        location: slug(location),
        service: slug(service),
        start,
        interval_minutes: 15,
        walk_ins,
        booked,
        no_show_rate: 0.1,
        mean_service_minutes: 10.0,
    }
}

fn zones() -> HashMap<Slug, Tz> {
    HashMap::from([
        (slug("raadhuset"), Copenhagen),
        (slug("bibliotek"), Copenhagen),
    ])
}

fn scenario() -> Scenario {
    Scenario {
        name: "a".into(),
        policy: vec![],
        closed: vec![],
        hours: vec![],
        staff: 0,
        demand: vec![],
    }
}

fn total(demand: &[IntervalForecast]) -> f64 {
    demand.iter().map(|f| f.walk_ins + f.booked).sum()
}

#[test]
fn booking_only_turns_walk_ins_into_bookings_and_sends_a_share_online() {
    let week = vec![
        interval("raadhuset", "pas", at(5, 10, 0), 4.0, 2.0),
        interval("raadhuset", "sygesikring", at(5, 10, 0), 3.0, 0.0),
    ];
    let s = Scenario {
        policy: vec![PolicyChange {
            service: slug("pas"),
            location: None,
            booking: BookingPolicy::Required,
            moves_online: 0.25,
        }],
        ..scenario()
    };
    let adjusted = s.adjust_demand(&week, &zones());
    let pas = &adjusted.demand[0];
    assert_eq!(pas.walk_ins, 0.0);
    assert!((pas.booked - 4.5).abs() < 1e-9, "{}", pas.booked);
    assert!((adjusted.online[&slug("pas")] - 1.5).abs() < 1e-9);
    assert_eq!(adjusted.demand[1], week[1], "another errand is untouched");
}

#[test]
fn demand_changes_by_its_percentage_at_the_named_location_only() {
    let week = vec![
        interval("raadhuset", "pas", at(5, 10, 0), 10.0, 10.0),
        interval("bibliotek", "pas", at(5, 10, 0), 10.0, 10.0),
    ];
    let s = Scenario {
        demand: vec![DemandChange {
            service: slug("pas"),
            location: Some(slug("bibliotek")),
            percent: -30.0,
        }],
        ..scenario()
    };
    let adjusted = s.adjust_demand(&week, &zones());
    assert_eq!(total(&adjusted.demand[..1]), 20.0);
    assert!((total(&adjusted.demand[1..]) - 14.0).abs() < 1e-9);
}

#[test]
fn narrower_hours_move_the_days_citizens_into_the_hours_left() {
    let week = vec![
        interval("raadhuset", "pas", at(5, 9, 0), 2.0, 1.0),
        interval("raadhuset", "pas", at(5, 10, 0), 1.0, 1.0),
        interval("raadhuset", "pas", at(5, 11, 0), 3.0, 1.0),
        // Tuesday keeps its hours.
        interval("raadhuset", "pas", at(6, 9, 0), 2.0, 0.0),
    ];
    let s = Scenario {
        hours: vec![HoursChange {
            location: slug("raadhuset"),
            weekdays: vec![Weekday::Mon],
            open: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            close: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        }],
        ..scenario()
    };
    let adjusted = s.adjust_demand(&week, &zones());
    let d = &adjusted.demand;
    assert_eq!((d[0].walk_ins, d[0].booked), (0.0, 0.0));
    assert!((d[1].walk_ins - 1.5).abs() < 1e-9 && (d[2].walk_ins - 4.5).abs() < 1e-9);
    assert!((d[1].booked - 1.5).abs() < 1e-9 && (d[2].booked - 1.5).abs() < 1e-9);
    assert_eq!(d[3], week[3]);
    assert!((total(d) - total(&week)).abs() < 1e-9, "nobody is lost");
}

#[test]
fn a_closed_day_loses_its_citizens_at_that_location_only() {
    let week = vec![
        interval("raadhuset", "pas", at(5, 10, 0), 2.0, 1.0),
        interval("raadhuset", "pas", at(6, 10, 0), 2.0, 1.0),
        interval("bibliotek", "pas", at(5, 10, 0), 2.0, 1.0),
    ];
    let s = Scenario {
        closed: vec![Closure {
            location: slug("raadhuset"),
            dates: vec![NaiveDate::from_ymd_opt(2027, 4, 5).unwrap()],
        }],
        ..scenario()
    };
    let adjusted = s.adjust_demand(&week, &zones());
    assert_eq!(adjusted.demand, week[1..].to_vec());
}

fn worker(name: &str) -> Worker {
    Worker {
        name: name.into(),
        services: vec![slug("pas")],
        home: Some(slug("raadhuset")),
        locations: vec![slug("raadhuset")],
        contract_minutes: 37 * 60,
        absences: vec![],
        preferred_templates: vec![],
    }
}

#[test]
fn staff_more_or_fewer_are_spread_over_the_staff_list() {
    let staff: Vec<Worker> = ["a", "b", "c", "d"].into_iter().map(worker).collect();
    let fewer = Scenario {
        staff: -2,
        ..scenario()
    }
    .adjust_staff(&staff);
    let names: Vec<&str> = fewer.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["b", "d"]);
    let more = Scenario {
        staff: 2,
        ..scenario()
    }
    .adjust_staff(&staff);
    assert_eq!(more.len(), 6);
    assert_eq!(more[4].name, "ny-1");
    assert_eq!(more[4].contract_minutes, staff[0].contract_minutes);
    assert_eq!(more[5].services, staff[2].services);
}

#[test]
fn every_wrong_field_is_named() {
    let zones = zones();
    let services = [slug("pas")];
    let known = Known {
        zones: &zones,
        services: &services,
        staff: 3,
    };
    let s = Scenario {
        name: " ".into(),
        policy: vec![PolicyChange {
            service: slug("fiskekort"),
            location: Some(slug("nuuk")),
            booking: BookingPolicy::Required,
            moves_online: 1.5,
        }],
        closed: vec![],
        hours: vec![HoursChange {
            location: slug("raadhuset"),
            weekdays: vec![Weekday::Fri],
            open: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            close: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        }],
        staff: -3,
        demand: vec![DemandChange {
            service: slug("pas"),
            location: None,
            percent: -120.0,
        }],
    };
    let fields: Vec<String> = s
        .check(&known, "scenarios[1].")
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "scenarios[1].name",
            "scenarios[1].policy[0].service",
            "scenarios[1].policy[0].location",
            "scenarios[1].policy[0].moves_online",
            "scenarios[1].hours[0].close",
            "scenarios[1].demand[0].percent",
            "scenarios[1].staff",
        ]
    );
    assert!(scenario().check(&known, "").is_empty());
}
