//! The special days: closures and public holidays, whole or part of each day, and periods
//! of reduced hours with weekly hours of their own.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::error::HoursError;
use super::range::{intersect, TimeRange};
use super::week::WeeklyHours;

/// A closure or public holiday: every local date from `first` to `last`, inclusive, the
/// whole day or only part of each day ("closes at 12 today" is closed from 12:00); or a
/// period of reduced hours, open on its days only in hours of its own ("the holiday week
/// opens 10-12 on Monday and Thursday").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub reason: String,
    /// Closed from this local time on each day; from the day's start when `None`.
    pub closed_from: Option<NaiveTime>,
    /// Closed until this local time on each day; to the day's end when `None`.
    pub closed_until: Option<NaiveTime>,
    /// Open on its days only in these hours, and only where the weekly hours are open too
    /// (a weekday left out is closed); `None` for a closure.
    pub opening_hours: Option<WeeklyHours>,
}

impl Closure {
    /// A closure of whole days.
    pub fn new(first: NaiveDate, last: NaiveDate, reason: String) -> Result<Self, HoursError> {
        if last < first {
            return Err(HoursError::EndsBeforeStart { first, last });
        }
        if reason.trim().is_empty() {
            return Err(HoursError::NoReason);
        }
        Ok(Self {
            first,
            last,
            reason,
            closed_from: None,
            closed_until: None,
            opening_hours: None,
        })
    }

    /// The same days, closed only from `from` and/or until `until` on each.
    pub fn during(
        mut self,
        from: Option<NaiveTime>,
        until: Option<NaiveTime>,
    ) -> Result<Self, HoursError> {
        if let (Some(from), Some(until)) = (from, until) {
            if until <= from {
                return Err(HoursError::ReopensBeforeClosing {
                    from: from.format("%H:%M").to_string(),
                    until: until.format("%H:%M").to_string(),
                });
            }
        }
        if (from.is_some() || until.is_some()) && self.opening_hours.is_some() {
            return Err(HoursError::HoursAndPartOfDay);
        }
        self.closed_from = from;
        self.closed_until = until;
        Ok(self)
    }

    /// The same days as a period of reduced hours, open only in `hours`.
    pub fn open_only(mut self, hours: WeeklyHours) -> Result<Self, HoursError> {
        if !self.is_whole_day() {
            return Err(HoursError::HoursAndPartOfDay);
        }
        self.opening_hours = Some(hours);
        Ok(self)
    }

    pub fn is_whole_day(&self) -> bool {
        self.closed_from.is_none() && self.closed_until.is_none() && self.opening_hours.is_none()
    }

    /// Whether `date` is one of its days, closed wholly or in part.
    pub fn touches(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Whether the whole of `date` is closed.
    pub fn covers(&self, date: NaiveDate) -> bool {
        let open = match &self.opening_hours {
            Some(hours) => !hours.on(date).is_empty(),
            None => !self.is_whole_day(),
        };
        self.touches(date) && !open
    }

    /// What is left of `ranges`, the openings of `date`, once this closure's part of the
    /// day is cut out.
    pub fn cut(&self, date: NaiveDate, ranges: &[TimeRange]) -> Vec<TimeRange> {
        if !self.touches(date) {
            return ranges.to_vec();
        }
        if let Some(hours) = &self.opening_hours {
            return intersect(ranges, hours.on(date));
        }
        ranges
            .iter()
            .flat_map(|r| {
                let before =
                    self.closed_from
                        .filter(|from| r.start < *from)
                        .map(|from| TimeRange {
                            start: r.start,
                            end: r.end.min(from),
                        });
                let after = self
                    .closed_until
                    .filter(|until| *until < r.end)
                    .map(|until| TimeRange {
                        start: r.start.max(until),
                        end: r.end,
                    });
                before.into_iter().chain(after)
            })
            .collect()
    }

    /// Whether any of the local span `[start, end)` is closed by it.
    pub fn closes_during(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        start
            .date()
            .iter_days()
            .take_while(|date| *date <= end.date())
            .filter(|date| self.touches(*date))
            .any(|date| {
                if let Some(hours) = &self.opening_hours {
                    return !open_throughout(hours.on(date), date, start, end);
                }
                let from = date.and_time(self.closed_from.unwrap_or(NaiveTime::MIN));
                let until = match self.closed_until {
                    Some(until) => date.and_time(until),
                    None => date.and_time(NaiveTime::MIN) + chrono::Duration::days(1),
                };
                start < until && from < end
            })
    }
}

/// Whether the part of the local span `[start, end)` that lies on `date` lies within one of
/// `open`, the openings of that day (as it does when none of the span lies on it).
fn open_throughout(
    open: &[TimeRange],
    date: NaiveDate,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> bool {
    let day_start = date.and_time(NaiveTime::MIN);
    let (start, end) = (
        start.max(day_start),
        end.min(day_start + chrono::Duration::days(1)),
    );
    start >= end
        || open
            .iter()
            .any(|r| date.and_time(r.start) <= start && end <= date.and_time(r.end))
}
