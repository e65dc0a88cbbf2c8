//! One thing to choose on a booking step (a place, an errand, a day or a time), and the
//! days and times of a list of free times.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::booking::Language;
use crate::domain::organisation::ServiceSpec;
use crate::domain::slots::Slot;
use crate::messages;

/// How many days ahead the day step offers.
pub const DAYS_SHOWN: i64 = 14;

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub detail: Option<String>,
    pub link: Option<String>,
    pub bookable: bool,
    /// More about it inside its card: how long an errand takes and what to bring.
    pub note: Option<String>,
}

/// The days that have a free time, in order, each a link under `base` (`…&day=`) with
/// how many free times it has.
pub fn days(lang: Language, slots: &[Slot], base: &str) -> Vec<Choice> {
    let mut days: Vec<(NaiveDate, usize)> = Vec::new();
    for slot in slots {
        let date = slot.start.date_naive();
        match days.last_mut() {
            Some((last, count)) if *last == date => *count += 1,
            _ => days.push((date, 1)),
        }
    }
    days.into_iter()
        .map(|(day, count)| Choice {
            value: day.to_string(),
            label: messages::day(lang, day),
            detail: Some(match count {
                1 => messages::text(lang, "date.free_time").to_owned(),
                n => messages::text_with(lang, "date.free_times", &[("count", &n.to_string())]),
            }),
            link: Some(format!("{base}&day={day}")),
            bookable: true,
            note: None,
        })
        .collect()
}

/// How long an errand takes and what to bring, shown before a day is chosen.
pub fn errand_note(lang: Language, errand: &ServiceSpec) -> String {
    let minutes = errand.duration_minutes.to_string();
    let takes = messages::text_with(lang, "book.takes_about", &[("minutes", &minutes)]);
    match errand.what_to_bring(lang) {
        Some(bring) => format!("{takes}. {}: {bring}", messages::text(lang, "common.bring")),
        None => format!("{takes}."),
    }
}

/// The free times, each a radio button's value (with the location's offset) and label.
pub fn times(slots: &[Slot]) -> Vec<Choice> {
    slots
        .iter()
        .map(|s| Choice {
            value: s.start.to_rfc3339(),
            label: s.start.format("%H:%M").to_string(),
            detail: None,
            link: None,
            bookable: true,
            note: None,
        })
        .collect()
}
