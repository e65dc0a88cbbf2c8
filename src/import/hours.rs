//! Weekly hours, closures and dates: `opening_hours`, `service_hours` and `closures`.

use chrono::{NaiveDate, Weekday};
use toml::Spanned;

use super::checker::Checker;
use super::raw;
use crate::domain::hours::{
    parse_clock, parse_week, Closure, HoursError, TimeRange, WeeklyHours, NEVER_OPEN, WEEKDAY_KEYS,
};

/// A location's weekly hours, which must open on at least one day.
pub(super) fn opening_hours(
    cx: &mut Checker,
    raw: &raw::Hours,
    field: &str,
) -> Option<WeeklyHours> {
    let hours = weekly_hours(cx, raw, field)?;
    if hours.is_empty() {
        cx.report(raw.span(), field, NEVER_OPEN);
        return None;
    }
    Some(hours)
}

/// `{ mon = ["10:00-12:00", "13:00-17:00"], … }`; days left out are closed.
pub(super) fn weekly_hours(cx: &mut Checker, raw: &raw::Hours, field: &str) -> Option<WeeklyHours> {
    let days: Vec<(&str, Vec<&str>)> = raw
        .get_ref()
        .iter()
        .map(|(key, ranges)| {
            let ranges = ranges.get_ref().iter().map(|r| r.get_ref().as_str());
            (key.as_str(), ranges.collect())
        })
        .collect();
    let problems = match parse_week(days.iter().map(|(k, r)| (*k, r.as_slice()))) {
        Ok(hours) => return Some(hours),
        Err(problems) => problems,
    };
    for problem in problems {
        let ranges = &raw.get_ref()[&problem.key];
        let span = match problem.range {
            Some(i) => ranges.get_ref()[i].span(),
            None => ranges.span(),
        };
        cx.report(span, &problem.field(field), problem.error);
    }
    None
}

pub(super) fn closures(
    cx: &mut Checker,
    raws: &[Spanned<raw::Closure>],
    field: &str,
) -> Vec<Closure> {
    raws.iter()
        .enumerate()
        .filter_map(|(i, raw)| closure(cx, raw, &format!("{field}[{i}]")))
        .collect()
}

fn closure(cx: &mut Checker, raw: &Spanned<raw::Closure>, at: &str) -> Option<Closure> {
    let closure = raw.get_ref();
    let first = date(cx, &closure.from, &format!("{at}.from"));
    let last = match &closure.to {
        Some(to) => date(cx, to, &format!("{at}.to")),
        None => first,
    };
    let reason = closure.reason.get_ref().trim().to_owned();
    let mut clock = |raw: Option<&raw::Text>, key: &str| match raw {
        Some(raw) => cx
            .ok(
                raw.span(),
                &format!("{at}.{key}"),
                parse_clock(raw.get_ref()),
            )
            .map(Some),
        None => Some(None),
    };
    let from = clock(closure.closed_from.as_ref(), "closed_from");
    let until = clock(closure.closed_until.as_ref(), "closed_until");
    let hours_field = format!("{at}.opening_hours");
    let hours = match &closure.opening_hours {
        Some(raw) => weekly_hours(cx, raw, &hours_field).map(Some),
        None => Some(None),
    };
    let (first, last, from, until, hours) = (first?, last?, from?, until?, hours?);
    let days = Closure::new(first, last, reason).and_then(|c| c.during(from, until));
    let days = cx.ok(raw.span(), at, days)?;
    match (hours, &closure.opening_hours) {
        (Some(hours), Some(raw)) => cx.ok(raw.span(), &hours_field, days.open_only(hours)),
        _ => Some(days),
    }
}

/// A TOML local date (`2026-12-24`) or the same written as a string.
pub(super) fn date(cx: &mut Checker, raw: &Spanned<toml::Value>, field: &str) -> Option<NaiveDate> {
    let parsed = match raw.get_ref() {
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            }
            _ => None,
        },
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    };
    let result = parsed.ok_or_else(|| HoursError::NotADate(raw.get_ref().to_string()));
    cx.ok(raw.span(), field, result)
}

/// Whether one of the day's ranges holds all of `range`.
pub(super) fn covers(hours: &WeeklyHours, day: Weekday, range: TimeRange) -> bool {
    hours
        .day(day)
        .iter()
        .any(|open| open.start <= range.start && range.end <= open.end)
}

pub(super) fn describe_day(hours: &WeeklyHours, day: Weekday) -> String {
    let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
    let ranges: Vec<String> = hours.day(day).iter().map(ToString::to_string).collect();
    if ranges.is_empty() {
        format!("closed on {key}")
    } else {
        format!("{key} {}", ranges.join(", "))
    }
}
