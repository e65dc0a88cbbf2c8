//! The weekly hours: for each weekday its sorted, non-overlapping ranges, as written in the
//! organisation file (`{ mon = ["10:00-14:30"], … }`) and checked there.

use chrono::{Datelike, NaiveDate, Weekday};

use super::error::HoursError;
use super::range::{intersect, TimeRange};

/// Parses `mon`, `tue`, … `sun` (English three-letter names, as in the import file).
pub fn parse_weekday(raw: &str) -> Result<Weekday, String> {
    WEEKDAY_KEYS
        .iter()
        .position(|k| *k == raw)
        .map(|i| Weekday::try_from(i as u8).expect("index below 7"))
        .ok_or_else(|| format!("'{raw}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"))
}

pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What a location that opens on no weekday is told, by the organisation file's check and
/// by the administration's alike.
pub const NEVER_OPEN: &str = "the location is never open: give the hours of at least one \
     weekday, e.g. { mon = [\"10:00-14:30\"] }";

/// A problem with weekly hours as written: the day's key, the index of the range in it
/// when the problem is that range's, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekProblem {
    pub key: String,
    pub range: Option<usize>,
    pub error: HoursError,
}

impl WeekProblem {
    /// Where it lies below `field`: `field.mon` or `field.mon[1]`, as the organisation
    /// file's check names it.
    pub fn field(&self, field: &str) -> String {
        match self.range {
            Some(i) => format!("{field}.{}[{i}]", self.key),
            None => format!("{field}.{}", self.key),
        }
    }
}

/// Weekly hours as written, `{ mon = ["10:00-12:00", "13:00-17:00"], … }`: every weekday key
/// and range checked, days left out closed; or every problem found.
pub fn parse_week<'a, R: AsRef<str> + 'a>(
    days: impl IntoIterator<Item = (&'a str, &'a [R])>,
) -> Result<WeeklyHours, Vec<WeekProblem>> {
    let mut problems = Vec::new();
    let mut hours = WeeklyHours::default();
    for (key, ranges) in days {
        let problem = |range, error| WeekProblem {
            key: key.to_owned(),
            range,
            error,
        };
        let Ok(day) = parse_weekday(key) else {
            problems.push(problem(None, HoursError::NotAWeekday(key.to_owned())));
            continue;
        };
        let mut parsed = Vec::new();
        for (i, raw) in ranges.iter().enumerate() {
            match TimeRange::parse(raw.as_ref()) {
                Ok(range) => parsed.push(range),
                Err(e) => problems.push(problem(Some(i), e)),
            }
        }
        if let Err(e) = hours.set_day(day, parsed) {
            problems.push(problem(None, e));
        }
    }
    if problems.is_empty() {
        Ok(hours)
    } else {
        Err(problems)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<TimeRange>; 7],
}

impl WeeklyHours {
    /// Adds the ranges of one weekday, refusing any that overlap each other or those already set.
    pub fn set_day(&mut self, day: Weekday, ranges: Vec<TimeRange>) -> Result<(), HoursError> {
        let slot = &mut self.days[day.num_days_from_monday() as usize];
        let mut all: Vec<TimeRange> = slot.iter().copied().chain(ranges).collect();
        all.sort();
        if let Some(pair) = all.windows(2).find(|w| w[0].overlaps(&w[1])) {
            return Err(HoursError::Overlap(
                pair[0].to_string(),
                pair[1].to_string(),
                WEEKDAY_KEYS[day.num_days_from_monday() as usize],
            ));
        }
        *slot = all;
        Ok(())
    }

    /// The hours when both are open: a visit of errands with hours of their own is bookable
    /// only when all of them are.
    pub fn common(&self, other: &WeeklyHours) -> WeeklyHours {
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        for (i, day) in days.iter_mut().enumerate() {
            *day = intersect(&self.days[i], &other.days[i]);
        }
        WeeklyHours { days }
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

    /// These hours cut to `open`: on each day, what lies within both.
    pub fn within(&self, open: &WeeklyHours) -> WeeklyHours {
        let mut out = WeeklyHours::default();
        for (i, ranges) in self.days.iter().enumerate() {
            out.days[i] = ranges
                .iter()
                .flat_map(|r| r.cut_to(&open.days[i]))
                .collect();
        }
        out
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
