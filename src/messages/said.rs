//! What a citizen is told when the system refuses them: a key of the catalogue with the
//! values its text names, written out in the citizen's language only when it is read —
//! on a page, on the kiosk, or as a problem's `detail` for a client that asked for one.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::catalogue::{text, text_with};
use super::dates::{day, day_time_where};
use super::refusals::field_errors;
use crate::domain::booking::Language;
use crate::domain::slots::SlotRefusal;
use crate::domain::FieldError;

/// A value in a refusal's text, written in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Written as it is (a name, a number).
    Plain(String),
    /// Another key's text (a status in words).
    Key(String),
    /// A name the organisation gives in each language (an errand's).
    Named { da: String, en: String },
    /// A moment in the location's zone: "onsdag 31. marts 2027 kl. 10:00".
    Moment(DateTime<Utc>, Tz),
    /// A local day: "onsdag 31. marts 2027".
    Day(NaiveDate),
}

/// A refusal as the catalogue says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    /// A key (`refusal.slot_full`) and its values.
    Text {
        key: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    /// What to mend in each field of a citizen's details.
    Fields(Vec<FieldError>),
}

impl Said {
    /// A text without values.
    pub fn key(key: &'static str) -> Self {
        Self::Text {
            key,
            args: Vec::new(),
        }
    }

    /// A text with values.
    pub fn with(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self::Text { key, args }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Language) -> String {
        match self {
            Self::Fields(errors) => field_errors(lang, errors),
            Self::Text { key, args } => {
                let written: Vec<(&str, String)> = args
                    .iter()
                    .map(|(name, arg)| (*name, arg.written(lang)))
                    .collect();
                let pairs: Vec<(&str, &str)> =
                    written.iter().map(|(k, v)| (*k, v.as_str())).collect();
                text_with(lang, key, &pairs)
            }
        }
    }

    /// The catalogue keys this text uses, to check that each has a text.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Self::Fields(_) => Vec::new(),
            Self::Text { key, args } => std::iter::once((*key).to_owned())
                .chain(args.iter().filter_map(|(_, arg)| match arg {
                    Arg::Key(key) => Some(key.clone()),
                    _ => None,
                }))
                .collect(),
        }
    }
}

/// A refused time as the catalogue says it.
pub fn slot_refusal(refusal: &SlotRefusal) -> Said {
    match refusal {
        SlotRefusal::Past => Said::key("refusal.slot_past"),
        SlotRefusal::TooSoon { earliest } => Said::with(
            "refusal.slot_too_soon",
            vec![(
                "when",
                Arg::Moment(earliest.with_timezone(&Utc), earliest.timezone()),
            )],
        ),
        SlotRefusal::TooFarAhead { latest_date } => Said::with(
            "refusal.slot_too_far",
            vec![("day", Arg::Day(*latest_date))],
        ),
        SlotRefusal::Closed { reason } => Said::with(
            "refusal.slot_closed",
            vec![("reason", Arg::Plain(reason.clone()))],
        ),
        SlotRefusal::OutsideHours => Said::key("refusal.slot_outside_hours"),
        SlotRefusal::OffGrid => Said::key("refusal.slot_off_grid"),
        SlotRefusal::NoCapacity => Said::key("refusal.slot_full"),
    }
}

impl Arg {
    fn written(&self, lang: Language) -> String {
        match self {
            Self::Plain(text) => text.clone(),
            Self::Key(key) => text(lang, key).to_owned(),
            Self::Named { da, en } => match lang {
                Language::Da => da.clone(),
                Language::En => en.clone(),
            },
            Self::Moment(at, zone) => day_time_where(lang, *at, *zone),
            Self::Day(date) => day(lang, *date),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_refusal_is_written_in_the_readers_language_with_its_values() {
        let zone: Tz = "Europe/Copenhagen".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2027, 3, 31, 8, 0, 0).unwrap();
        let said = Said::with(
            "refusal.check_in_too_early",
            vec![("when", Arg::Moment(at, zone))],
        );
        assert_eq!(
            said.text(Language::Da),
            "Du er kommet for tidligt. Du kan tjekke ind fra onsdag 31. marts 2027 kl. 10:00."
        );
        assert_eq!(
            said.text(Language::En),
            "You are early. You can check in from Wednesday 31 March 2027, 10:00."
        );
        let status = Said::with(
            "refusal.appointment_not_changeable",
            vec![("status", Arg::Key("status.appointment.cancelled".into()))],
        );
        assert!(status.text(Language::Da).contains("aflyst"));
        let fields = Said::Fields(vec![FieldError::new("citizen.email", "'x' is not")]);
        assert_eq!(fields.text(Language::Da), text(Language::Da, "error.email"));
    }
}
