//! The opening hours' rules, checked on the weeks, closures and periods of a city hall.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use super::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn parses_ranges_and_refuses_backwards_ones() {
    assert_eq!(
        TimeRange::parse("10:00-14:30").unwrap(),
        TimeRange {
            start: t(10, 0),
            end: t(14, 30)
        }
    );
    assert!(TimeRange::parse("14:30-10:00").is_err());
    assert!(TimeRange::parse("10:00-10:00").is_err());
    assert!(TimeRange::parse("10-14").is_err());
    assert!(TimeRange::parse("25:00-26:00").is_err());
}

#[test]
fn several_intervals_a_day_but_no_overlap() {
    let mut week = WeeklyHours::default();
    week.set_day(
        Weekday::Thu,
        vec![
            TimeRange::parse("15:00-17:00").unwrap(),
            TimeRange::parse("10:00-12:00").unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(week.day(Weekday::Thu).len(), 2);
    assert_eq!(week.day(Weekday::Thu)[0].start, t(10, 0), "kept sorted");

    let err = week
        .set_day(Weekday::Thu, vec![TimeRange::parse("11:30-13:00").unwrap()])
        .unwrap_err();
    assert!(err.to_string().contains("overlap on thu"), "{err}");
    assert_eq!(
        week.day(Weekday::Thu).len(),
        2,
        "a refused change changes nothing"
    );
}

#[test]
fn touching_ranges_do_not_overlap() {
    let a = TimeRange::parse("10:00-12:00").unwrap();
    let b = TimeRange::parse("12:00-13:00").unwrap();
    assert!(!a.overlaps(&b));
    assert!(a.contains(t(11, 59)) && !a.contains(t(12, 0)));
}

fn city_hall() -> WeeklyHours {
    let mut week = WeeklyHours::default();
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed] {
        week.set_day(day, vec![TimeRange::parse("10:00-14:30").unwrap()])
            .unwrap();
    }
    week.set_day(Weekday::Thu, vec![TimeRange::parse("10:00-17:00").unwrap()])
        .unwrap();
    week
}

#[test]
fn open_and_next_opening_in_local_time() {
    let zone = chrono_tz::Europe::Copenhagen;
    let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    // Monday 29 March 2027, summer time: 10:00 local is 08:00Z.
    assert!(!is_open(
        at("2027-03-29T07:59:00Z"),
        zone,
        &city_hall(),
        &[]
    ));
    assert!(is_open(at("2027-03-29T08:00:00Z"), zone, &city_hall(), &[]));
    let next = next_opening(at("2027-03-29T07:00:00Z"), zone, &city_hall(), &[], 14).unwrap();
    assert_eq!(next.with_timezone(&Utc), at("2027-03-29T08:00:00Z"));
    // Wednesday after closing, Thursday closed for a holiday: Monday next.
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let holiday = [Closure::new(d("2027-04-01"), d("2027-04-01"), "Skærtorsdag".into()).unwrap()];
    let next = next_opening(at("2027-03-31T13:00:00Z"), zone, &city_hall(), &holiday, 14).unwrap();
    assert_eq!(next.date_naive(), d("2027-04-05"));
    assert!(!is_open(
        at("2027-04-01T09:00:00Z"),
        zone,
        &city_hall(),
        &holiday
    ));
    assert_eq!(
        next_opening(
            at("2027-03-29T07:00:00Z"),
            zone,
            &WeeklyHours::default(),
            &[],
            14
        ),
        None
    );
}

#[test]
fn weekday_keys_round_trip() {
    for (i, key) in WEEKDAY_KEYS.iter().enumerate() {
        assert_eq!(
            parse_weekday(key).unwrap().num_days_from_monday() as usize,
            i
        );
    }
    assert!(parse_weekday("monday").is_err());
}

#[test]
fn closures_are_inclusive_and_need_a_reason() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let c = Closure::new(d("2026-12-24"), d("2026-12-26"), "Jul".into()).unwrap();
    assert!(c.covers(d("2026-12-26")) && !c.covers(d("2026-12-27")));
    assert!(Closure::new(d("2026-12-26"), d("2026-12-24"), "Jul".into()).is_err());
    assert!(Closure::new(d("2026-12-24"), d("2026-12-24"), " ".into()).is_err());
}

#[test]
fn a_closure_from_noon_cuts_the_afternoon_and_keeps_the_morning() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let tuesday = d("2027-03-30");
    let noon = Closure::new(tuesday, tuesday, "Sygdom".into())
        .unwrap()
        .during(Some(t(12, 0)), None)
        .unwrap();
    assert!(!noon.covers(tuesday), "not closed all day");
    let hours = city_hall();
    assert_eq!(
        open_ranges(hours.on(tuesday), std::slice::from_ref(&noon), tuesday),
        vec![TimeRange::parse("10:00-12:00").unwrap()]
    );
    assert_eq!(
        open_ranges(
            hours.on(d("2027-03-31")),
            std::slice::from_ref(&noon),
            d("2027-03-31")
        ),
        hours.on(d("2027-03-31")).to_vec(),
        "the next day is untouched"
    );
    let zone = chrono_tz::Europe::Copenhagen;
    let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    assert!(is_open(
        at("2027-03-30T09:59:00Z"),
        zone,
        &hours,
        std::slice::from_ref(&noon)
    ));
    assert!(!is_open(
        at("2027-03-30T10:00:00Z"),
        zone,
        &hours,
        std::slice::from_ref(&noon)
    ));
    let local = |s: &str| s.parse::<NaiveDateTime>().unwrap();
    assert!(noon.closes_during(local("2027-03-30T11:45:00"), local("2027-03-30T12:15:00")));
    assert!(!noon.closes_during(local("2027-03-30T11:30:00"), local("2027-03-30T12:00:00")));
    let morning = Closure::new(tuesday, tuesday, "Personalemøde".into())
        .unwrap()
        .during(None, Some(t(11, 0)))
        .unwrap();
    assert_eq!(
        open_ranges(hours.on(tuesday), &[morning], tuesday),
        vec![TimeRange::parse("11:00-14:30").unwrap()]
    );
    assert!(Closure::new(tuesday, tuesday, "x".into())
        .unwrap()
        .during(Some(t(12, 0)), Some(t(11, 0)))
        .is_err());
}

#[test]
fn a_period_of_reduced_hours_keeps_its_own_hours_open_and_closes_the_rest() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let mut short = WeeklyHours::default();
    short
        .set_day(
            Weekday::Tue,
            vec![
                TimeRange::parse("10:00-11:00").unwrap(),
                TimeRange::parse("13:00-17:00").unwrap(),
            ],
        )
        .unwrap();
    let period = Closure::new(d("2027-03-29"), d("2027-04-04"), "Ferie".into())
        .unwrap()
        .open_only(short)
        .unwrap();
    let hours = city_hall();
    let tuesday = d("2027-03-30");
    assert_eq!(
        open_ranges(hours.on(tuesday), std::slice::from_ref(&period), tuesday),
        [
            TimeRange::parse("10:00-11:00").unwrap(),
            TimeRange::parse("13:00-14:30").unwrap()
        ],
        "within the weekly hours only"
    );
    assert!(period.covers(d("2027-03-31")) && !period.covers(tuesday));
    assert!(!period.covers(d("2027-04-06")), "after the period");
    let local = |s: &str| s.parse::<NaiveDateTime>().unwrap();
    assert!(!period.closes_during(local("2027-03-30T10:30:00"), local("2027-03-30T11:00:00")));
    assert!(period.closes_during(local("2027-03-30T10:45:00"), local("2027-03-30T11:15:00")));
    assert!(period.closes_during(local("2027-03-31T10:00:00"), local("2027-03-31T10:15:00")));
    assert!(!period.closes_during(local("2027-04-05T10:00:00"), local("2027-04-05T10:15:00")));
    assert_eq!(
        period.clone().during(Some(t(12, 0)), None),
        Err(HoursError::HoursAndPartOfDay)
    );
}
