//! Opening hours: weekly intervals in a location's local time, and closures.

use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// A half-open local time range `[start, end)` within one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, String> {
        if start < end {
            Ok(Self { start, end })
        } else {
            Err(format!("{} must end after it starts", Self { start, end }))
        }
    }

    /// Parses `10:00-14:30`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (start, end) = raw
            .split_once('-')
            .ok_or_else(|| format!("'{raw}' is not a time range like 10:00-14:30"))?;
        Self::new(parse_clock(start.trim())?, parse_clock(end.trim())?)
    }

    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, t: NaiveTime) -> bool {
        self.start <= t && t < self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

impl Serialize for TimeRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parses a wall-clock time `HH:MM`.
pub fn parse_clock(raw: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw, "%H:%M")
        .map_err(|_| format!("'{raw}' is not a time of day like 09:30"))
}

/// Parses `mon`, `tue`, … `sun` (English three-letter names, as in the import file).
pub fn parse_weekday(raw: &str) -> Result<Weekday, String> {
    WEEKDAY_KEYS
        .iter()
        .position(|k| *k == raw)
        .map(|i| Weekday::try_from(i as u8).expect("index below 7"))
        .ok_or_else(|| format!("'{raw}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"))
}

pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Opening hours for each weekday: sorted, non-overlapping ranges (none = closed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<TimeRange>; 7],
}

impl WeeklyHours {
    /// Adds the ranges of one weekday, refusing any that overlap each other or those already set.
    pub fn set_day(&mut self, day: Weekday, ranges: Vec<TimeRange>) -> Result<(), String> {
        let slot = &mut self.days[day.num_days_from_monday() as usize];
        let mut all: Vec<TimeRange> = slot.iter().copied().chain(ranges).collect();
        all.sort();
        if let Some(pair) = all.windows(2).find(|w| w[0].overlaps(&w[1])) {
            return Err(format!(
                "{} and {} overlap on {}",
                pair[0],
                pair[1],
                WEEKDAY_KEYS[day.num_days_from_monday() as usize]
            ));
        }
        *slot = all;
        Ok(())
    }

    pub fn day(&self, day: Weekday) -> &[TimeRange] {
        &self.days[day.num_days_from_monday() as usize]
    }

    pub fn on(&self, date: NaiveDate) -> &[TimeRange] {
        self.day(date.weekday())
    }

    /// `(weekday, range)` for every range of the week, Monday first.
    pub fn iter(&self) -> impl Iterator<Item = (Weekday, TimeRange)> + '_ {
        self.days.iter().enumerate().flat_map(|(i, ranges)| {
            let day = Weekday::try_from(i as u8).expect("index below 7");
            ranges.iter().map(move |r| (day, *r))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The hours as `{"mon": ["10:00-14:30"], …}`, leaving out closed days.
    pub fn to_map(&self) -> std::collections::BTreeMap<&'static str, Vec<String>> {
        self.days
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_empty())
            .map(|(i, r)| (WEEKDAY_KEYS[i], r.iter().map(ToString::to_string).collect()))
            .collect()
    }
}

/// A closure or public holiday: every local date from `first` to `last`, inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub reason: String,
}

impl Closure {
    pub fn new(first: NaiveDate, last: NaiveDate, reason: String) -> Result<Self, String> {
        if last < first {
            return Err(format!("ends {last} before it starts {first}"));
        }
        if reason.trim().is_empty() {
            return Err("needs a reason".into());
        }
        Ok(Self {
            first,
            last,
            reason,
        })
    }

    pub fn covers(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
}

/// Whether the location is open at `now`: inside a range of its local weekday, not closed.
pub fn is_open(now: DateTime<Utc>, zone: Tz, hours: &WeeklyHours, closures: &[Closure]) -> bool {
    let local = now.with_timezone(&zone);
    let date = local.date_naive();
    !closures.iter().any(|c| c.covers(date))
        && hours.on(date).iter().any(|r| r.contains(local.time()))
}

/// The next moment the location opens after `now`, looking up to `horizon_days` ahead.
pub fn next_opening(
    now: DateTime<Utc>,
    zone: Tz,
    hours: &WeeklyHours,
    closures: &[Closure],
    horizon_days: u32,
) -> Option<DateTime<Tz>> {
    let today = now.with_timezone(&zone).date_naive();
    (0..=horizon_days)
        .filter_map(|d| today.checked_add_days(Days::new(u64::from(d))))
        .filter(|date| !closures.iter().any(|c| c.covers(*date)))
        .flat_map(|date| hours.on(date).iter().map(move |r| date.and_time(r.start)))
        // A start inside a spring-forward gap opens at the first instant that exists after it.
        .filter_map(|local| {
            zone.from_local_datetime(&local).earliest().or_else(|| {
                zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            })
        })
        .find(|start| start.with_timezone(&Utc) > now)
}

#[cfg(test)]
mod tests {
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
        assert!(err.contains("overlap on thu"), "{err}");
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
        let holiday =
            [Closure::new(d("2027-04-01"), d("2027-04-01"), "Skærtorsdag".into()).unwrap()];
        let next =
            next_opening(at("2027-03-31T13:00:00Z"), zone, &city_hall(), &holiday, 14).unwrap();
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
}
