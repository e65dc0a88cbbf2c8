//! Dates and times as people write them: "onsdag 2. december 2026 kl. 10:15",
//! "Wednesday 2 December 2026, 10:15", in the location's zone and without naming it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::catalogue::{text, text_with};
use crate::domain::booking::Language;

fn nth(lang: Language, list: &'static str, index: usize) -> &'static str {
    text(lang, list).lines().nth(index).unwrap_or_default()
}

fn parts(lang: Language, date: NaiveDate) -> [(&'static str, String); 4] {
    let weekday = nth(
        lang,
        "date.weekdays",
        date.weekday().num_days_from_monday() as usize,
    );
    let month = nth(lang, "date.months", date.month0() as usize);
    [
        ("weekday", weekday.to_owned()),
        ("day", date.day().to_string()),
        ("month", month.to_owned()),
        ("year", date.year().to_string()),
    ]
}

/// A weekday's name: "onsdag", "Wednesday".
pub fn weekday(lang: Language, day: chrono::Weekday) -> &'static str {
    nth(lang, "date.weekdays", day.num_days_from_monday() as usize)
}

/// A day: "onsdag 2. december 2026", "Wednesday 2 December 2026".
/// The part of each day a closure closes, in words ("fra kl. 12:00"), or the hours a period
/// of reduced hours keeps open ("åbent kun mandag 10:00–12:00"); `None` for a closure of
/// whole days.
pub fn closed_part(lang: Language, closure: &crate::domain::hours::Closure) -> Option<String> {
    let clock = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    if let Some(hours) = &closure.opening_hours {
        return (!hours.is_empty())
            .then(|| text_with(lang, "closure.open_only", &[("hours", &week(lang, hours))]));
    }
    Some(match (closure.closed_from, closure.closed_until) {
        (None, None) => return None,
        (Some(from), None) => text_with(lang, "closure.from_time", &[("time", &clock(from))]),
        (None, Some(until)) => text_with(lang, "closure.until_time", &[("time", &clock(until))]),
        (Some(from), Some(until)) => text_with(
            lang,
            "closure.between_times",
            &[("from", &clock(from)), ("until", &clock(until))],
        ),
    })
}

/// Weekly hours in words, the days open only: "mandag 10:00–12:00, 13:00–15:00; tirsdag
/// 10:00–12:00".
pub fn week(lang: Language, hours: &crate::domain::hours::WeeklyHours) -> String {
    let clock = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    let mut days: Vec<(chrono::Weekday, Vec<String>)> = Vec::new();
    for (day, range) in hours.iter() {
        let range = format!("{}–{}", clock(range.start), clock(range.end));
        match days.last_mut() {
            Some((last, ranges)) if *last == day => ranges.push(range),
            _ => days.push((day, vec![range])),
        }
    }
    let days: Vec<String> = days
        .into_iter()
        .map(|(day, ranges)| format!("{} {}", weekday(lang, day), ranges.join(", ")))
        .collect();
    days.join("; ")
}

pub fn day(lang: Language, date: NaiveDate) -> String {
    let parts = parts(lang, date);
    let args: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text_with(lang, "date.day", &args)
}

/// A moment in `zone`: "onsdag 2. december 2026 kl. 10:15".
pub fn day_time(lang: Language, at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let time = local.format("%H:%M").to_string();
    let parts = parts(lang, local.date_naive());
    let mut args: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    args.push(("time", &time));
    text_with(lang, "date.day_time", &args)
}

/// The zone most citizens live in, which goes without saying.
const HOME_ZONE: Tz = chrono_tz::Europe::Copenhagen;

/// Like [`day_time`], naming the zone when it is not Copenhagen's, so that a time in Nuuk
/// is not read as Danish time: "onsdag 2. december 2026 kl. 06:15 (tid i Nuuk)".
pub fn day_time_where(lang: Language, at: DateTime<Utc>, zone: Tz) -> String {
    let when = day_time(lang, at, zone);
    if zone == HOME_ZONE {
        return when;
    }
    let city = zone
        .name()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace('_', " ");
    let note = text_with(lang, "date.time_in", &[("city", &city)]);
    format!("{when} ({note})")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_moment_is_written_in_the_locations_zone_in_each_language() {
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 9, 15, 0).unwrap();
        let zone: Tz = "Europe/Copenhagen".parse().unwrap();
        assert_eq!(
            day_time(Language::Da, at, zone),
            "onsdag 2. december 2026 kl. 10:15"
        );
        assert_eq!(
            day_time(Language::En, at, zone),
            "Wednesday 2 December 2026, 10:15"
        );
        assert_eq!(
            day_time_where(Language::Da, at, zone),
            day_time(Language::Da, at, zone)
        );
        let nuuk: Tz = "America/Nuuk".parse().unwrap();
        assert_eq!(
            day_time_where(Language::Da, at, nuuk),
            "onsdag 2. december 2026 kl. 07:15 (tid i Nuuk)"
        );
        assert_eq!(
            day_time_where(Language::En, at, nuuk),
            "Wednesday 2 December 2026, 07:15 (Nuuk time)"
        );
        let london: Tz = "Europe/London".parse().unwrap();
        assert_eq!(
            day_time(Language::Da, at, london),
            "onsdag 2. december 2026 kl. 09:15"
        );
    }

    #[test]
    fn a_day_has_its_weekday() {
        let date = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        assert_eq!(day(Language::Da, date), "onsdag 31. marts 2027");
        assert_eq!(day(Language::En, date), "Wednesday 31 March 2027");
    }
}
