//! Opening hours: weekly intervals in a location's local time, and closures.

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::Serialize;

/// Why hours or a closure are refused. `Display` says it in English, as the organisation
/// file's problems do; [`HoursError::key`] and [`HoursError::args`] say it from the message
/// catalogue in a page's language. Both come from this one check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("must not be empty")]
    Missing,
    #[error("{0} is not a date: write a day like 2026-12-24, without a time")]
    NotADate(String),
    #[error("'{0}' is not a time range like 10:00-14:30")]
    NotARange(String),
    #[error("'{0}' is not a time of day like 09:30")]
    NotATime(String),
    #[error("{0} must end after it starts")]
    Backwards(String),
    #[error("{0} and {1} overlap on {2}")]
    Overlap(String, String, &'static str),
    #[error("ends {last} before it starts {first}")]
    EndsBeforeStart { first: NaiveDate, last: NaiveDate },
    #[error("needs a reason")]
    NoReason,
    #[error("closes at {from} and must reopen after that, not at {until}")]
    ReopensBeforeClosing { from: String, until: String },
    #[error("'{0}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)")]
    NotAWeekday(String),
    #[error("give either the period's opening hours or the part of each day it closes, not both")]
    HoursAndPartOfDay,
}

impl HoursError {
    /// The catalogue's key of this refusal.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Missing => "hours_error.missing",
            Self::NotADate(_) => "hours_error.not_a_date",
            Self::NotARange(_) => "hours_error.not_a_range",
            Self::NotATime(_) => "hours_error.not_a_time",
            Self::Backwards(_) => "hours_error.backwards",
            Self::Overlap(..) => "hours_error.overlap",
            Self::EndsBeforeStart { .. } => "hours_error.ends_before_start",
            Self::NoReason => "hours_error.no_reason",
            Self::ReopensBeforeClosing { .. } => "hours_error.reopens_before_closing",
            Self::NotAWeekday(_) => "hours_error.not_a_weekday",
            Self::HoursAndPartOfDay => "hours_error.hours_and_part_of_day",
        }
    }

    /// The values the catalogue's text names.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::NotADate(raw)
            | Self::NotARange(raw)
            | Self::NotATime(raw)
            | Self::NotAWeekday(raw) => {
                vec![("value", raw.clone())]
            }
            Self::Backwards(range) => vec![("range", range.clone())],
            Self::Overlap(a, b, _) => vec![("first", a.clone()), ("second", b.clone())],
            Self::EndsBeforeStart { first, last } => {
                vec![("first", first.to_string()), ("last", last.to_string())]
            }
            Self::Missing | Self::NoReason | Self::HoursAndPartOfDay => Vec::new(),
            Self::ReopensBeforeClosing { from, until } => {
                vec![("from", from.clone()), ("until", until.clone())]
            }
        }
    }
}

impl From<HoursError> for String {
    fn from(e: HoursError) -> Self {
        e.to_string()
    }
}

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

/// Opening hours for each weekday: sorted, non-overlapping ranges (none = closed).
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

/// The openings of `date` once every closure's part of it is cut out (none on a day that
/// is closed all day).
pub fn open_ranges(ranges: &[TimeRange], closures: &[Closure], date: NaiveDate) -> Vec<TimeRange> {
    closures
        .iter()
        .fold(ranges.to_vec(), |open, closure| closure.cut(date, &open))
}

/// Whether the location is open at `now`: inside a range of its local weekday, not closed.
pub fn is_open(now: DateTime<Utc>, zone: Tz, hours: &WeeklyHours, closures: &[Closure]) -> bool {
    let local = now.with_timezone(&zone);
    let date = local.date_naive();
    open_ranges(hours.on(date), closures, date)
        .iter()
        .any(|r| r.contains(local.time()))
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
        .flat_map(|date| {
            open_ranges(hours.on(date), closures, date)
                .into_iter()
                .map(move |r| date.and_time(r.start))
        })
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
}
