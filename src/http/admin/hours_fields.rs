//! A week's hours as a form's fields: one line a weekday with its ranges separated by
//! commas (`10:00-12:00, 13:00-17:00`), and a problem on one of a form's fields in the
//! page's language; shared by the location's forms.

use std::collections::BTreeMap;

use chrono::Weekday;
use serde::Serialize;

use crate::domain::booking::Language;
use crate::domain::hours::{HoursError, WEEKDAY_KEYS};
use crate::messages::{self, weekday};

#[derive(Debug, Serialize)]
pub(super) struct FieldProblem {
    /// The id of the field's input.
    pub field: String,
    pub text: String,
}

impl FieldProblem {
    /// The refusal of hours or a closure, on the input `field`, in the page's language.
    pub(super) fn of_hours(lang: Language, field: String, e: &HoursError) -> Self {
        let args = e.args();
        let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Self {
            field,
            text: messages::text_with(lang, e.key(), &pairs),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct DayField {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// Each day's ranges of `days` as typed (`10:00-12:00, 13:00-17:00`), empty days left out.
pub(super) fn ranges_of(days: &[DayField]) -> BTreeMap<String, Vec<String>> {
    days.iter()
        .filter(|d| !d.value.trim().is_empty())
        .map(|d| {
            let ranges = d.value.split(',').map(str::trim).filter(|r| !r.is_empty());
            (d.key.to_owned(), ranges.map(str::to_owned).collect())
        })
        .collect()
}

pub(super) fn days(lang: Language, value: impl Fn(&str) -> String) -> Vec<DayField> {
    WEEKDAY_KEYS
        .iter()
        .enumerate()
        .map(|(i, key)| DayField {
            key,
            label: weekday(lang, Weekday::try_from(i as u8).expect("index below 7")),
            value: value(key),
        })
        .collect()
}
