//! Why hours or a closure are refused, in English and from the message catalogue.

use chrono::NaiveDate;

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
