//! Open intervals in local time, and the history's records on them.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Timelike, Weekday};

use super::*;
use crate::domain::demand::intervals::{is_open, service_hours};

#[test]
fn records_fall_on_open_local_quarter_hours() {
    for r in history() {
        let loc = location_spec(r.location.as_str());
        let when = local(r);
        let (day, t) = (when.date(), when.time());
        assert!(
            t.minute() % 15 == 0 && t.second() == 0,
            "{r:?} starts at local {t}"
        );
        assert!(loc.services.contains(&r.service), "{r:?}");
        assert!(
            !loc.closures.iter().any(|c| c.covers(day)),
            "{r:?} on a closure"
        );
        assert!(
            loc.opening_hours
                .on(day)
                .iter()
                .any(|range| range.contains(t)),
            "{r:?} at closed {when}"
        );
        assert!(
            is_open(service_hours(loc, &r.service), day.weekday(), t),
            "{r:?} outside the service's hours"
        );
    }
    // The window crosses daylight-saving changes in both zones.
    for loc in &spec().locations {
        let offsets: BTreeSet<i64> = history()
            .iter()
            .filter(|r| r.location == loc.slug)
            .map(|r| (local(r) - r.interval_start.naive_utc()).num_minutes())
            .collect();
        assert_eq!(offsets.len(), 2, "{}: {offsets:?}", loc.slug);
    }
}

#[test]
fn daylight_saving_moves_the_utc_start_and_keeps_the_local_one() {
    let first_start = |loc: &str, day: &str| {
        open_intervals(location_spec(loc), &slug("borgerservice"), date(day))[0].to_rfc3339()
    };
    // Copenhagen springs forward on Sunday 29 March 2026, Nuuk on Saturday night 28 March.
    assert_eq!(
        first_start("raadhuset", "2026-03-27"),
        "2026-03-27T09:00:00+00:00"
    );
    assert_eq!(
        first_start("raadhuset", "2026-03-30"),
        "2026-03-30T08:00:00+00:00"
    );
    assert_eq!(
        first_start("nuuk", "2026-03-27"),
        "2026-03-27T11:00:00+00:00"
    );
    assert_eq!(
        first_start("nuuk", "2026-03-30"),
        "2026-03-30T10:00:00+00:00"
    );
    assert_eq!(
        first_start("raadhuset", "2026-10-26"),
        "2026-10-26T09:00:00+00:00"
    );

    // Through the night of a change itself: the skipped hour has no intervals, the
    // repeated hour has two of each.
    let mut night = location_spec("raadhuset").clone();
    night.opening_hours = week(&[(Weekday::Sun, "00:00-04:00")]);
    let count = |day: &str| {
        let starts = open_intervals(&night, &slug("borgerservice"), date(day));
        assert!(
            starts
                .windows(2)
                .all(|w| w[1] - w[0] == Duration::minutes(15)),
            "{starts:?}"
        );
        starts.len()
    };
    assert_eq!(count("2026-03-22"), 16);
    assert_eq!(count("2026-03-29"), 12);
    assert_eq!(count("2026-10-25"), 20);
}

#[test]
fn open_intervals_respect_service_hours_closures_and_the_menu() {
    let hall = location_spec("raadhuset");
    assert_eq!(
        open_intervals(hall, &slug("borgerservice"), date("2026-03-02")).len(),
        18
    );
    assert_eq!(
        open_intervals(hall, &slug("byggesag"), date("2026-03-02")).len(),
        8
    );
    assert!(
        open_intervals(hall, &slug("byggesag"), date("2026-03-04")).is_empty(),
        "not on Wednesdays"
    );
    assert!(
        open_intervals(hall, &slug("borgerservice"), date("2026-06-05")).is_empty(),
        "Grundlovsdag"
    );
    assert!(
        open_intervals(hall, &slug("borgerservice"), date("2026-03-07")).is_empty(),
        "Saturday"
    );
    assert!(open_intervals(
        location_spec("nuuk"),
        &slug("koerekort"),
        date("2026-03-02")
    )
    .is_empty());
}
