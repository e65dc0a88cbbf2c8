//! One thing to choose on a booking step (a place, an errand, a day or a time), and the
//! days and times of a list of free times.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::slots::Slot;

/// How many days ahead the day step offers.
pub const DAYS_SHOWN: i64 = 14;

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub detail: Option<String>,
    pub link: Option<String>,
    pub bookable: bool,
}

/// The days that have a free time, in order, each a link under `base` (`…&day=`).
pub fn days(slots: &[Slot], base: &str) -> Vec<Choice> {
    let mut days: Vec<NaiveDate> = slots.iter().map(|s| s.start.date_naive()).collect();
    days.dedup();
    days.into_iter()
        .map(|day| Choice {
            value: day.to_string(),
            label: day.format("%d.%m.%Y").to_string(),
            detail: None,
            link: Some(format!("{base}&day={day}")),
            bookable: true,
        })
        .collect()
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
        })
        .collect()
}
