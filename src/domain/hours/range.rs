//! A range of local time within one day, and the parsing of dates and clock times.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::error::HoursError;

/// A half-open local time range `[start, end)` within one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, HoursError> {
        if start < end {
            Ok(Self { start, end })
        } else {
            Err(HoursError::Backwards(Self { start, end }.to_string()))
        }
    }

    /// Parses `10:00-14:30`.
    pub fn parse(raw: &str) -> Result<Self, HoursError> {
        let (start, end) = raw
            .split_once('-')
            .ok_or_else(|| HoursError::NotARange(raw.to_owned()))?;
        Self::new(parse_clock(start.trim())?, parse_clock(end.trim())?)
    }

    /// The parts of this range that lie within one of `open`, in their order.
    pub fn cut_to(&self, open: &[TimeRange]) -> Vec<TimeRange> {
        open.iter()
            .filter_map(|o| TimeRange::new(self.start.max(o.start), self.end.min(o.end)).ok())
            .collect()
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

/// Parses a local date `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, HoursError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| HoursError::NotADate(raw.to_owned()))
}

/// Parses a wall-clock time `HH:MM`.
pub fn parse_clock(raw: &str) -> Result<NaiveTime, HoursError> {
    NaiveTime::parse_from_str(raw, "%H:%M").map_err(|_| HoursError::NotATime(raw.to_owned()))
}

/// The ranges in which both `a` and `b` are open; both sorted and non-overlapping, and so is
/// the result.
pub fn intersect(a: &[TimeRange], b: &[TimeRange]) -> Vec<TimeRange> {
    a.iter()
        .flat_map(|x| {
            b.iter().filter_map(move |y| {
                let start = x.start.max(y.start);
                let end = x.end.min(y.end);
                (start < end).then_some(TimeRange { start, end })
            })
        })
        .collect()
}
