//! A plain form's fields as the administration pages send them: checkboxes repeat their
//! name, one pair each, which a struct of the form could not hold.

use std::borrow::Cow;

use serde::Deserialize;

use super::CarriesCsrf;
use crate::domain::closing::{BookingsChoice, BookingsDecision};
use crate::domain::organisation::parse_choice;
use crate::error::{AppError, AppResult};

/// What the page of affected bookings sent back with a change.
pub(crate) struct Chosen {
    /// The version read, and the choice: left out while a cancellation has no reason, so
    /// that the bookings are shown again.
    pub decision: BookingsDecision,
    /// A cancellation was asked for without a reason.
    pub no_reason: bool,
}

impl Chosen {
    /// The decision from a form's fields as typed: `bookings` is `keep` or `cancel`,
    /// `affected` the references shown separated by commas.
    pub(crate) fn of(
        version: Option<&str>,
        bookings: Option<&str>,
        affected: &str,
        reason: &str,
    ) -> AppResult<Self> {
        let version = version
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| AppError::invalid_field("version", "must be the version read"))?;
        let choice = match bookings.map(str::trim).filter(|c| !c.is_empty()) {
            Some(raw) => Some(
                parse_choice::<BookingsChoice>(raw)
                    .map_err(|e| AppError::invalid_field("bookings", e))?,
            ),
            None => None,
        };
        let reason = reason.trim().to_owned();
        let no_reason = choice == Some(BookingsChoice::Cancel) && reason.is_empty();
        let affected = affected
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Self {
            decision: BookingsDecision {
                version,
                bookings: choice.filter(|_| !no_reason),
                affected,
                reason,
            },
            no_reason,
        })
    }
}

/// A plain form's fields as sent: checkboxes repeat their name, one pair each.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl CarriesCsrf for Fields {
    fn csrf_token(&self) -> &str {
        self.one("csrf_token").unwrap_or_default()
    }
}

impl Fields {
    pub(crate) fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.one(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The fields of the change itself, to send again with the choice for the bookings it
    /// affects: all but the token, the language and that choice's own.
    pub(crate) fn carried(&self) -> Vec<(Cow<'static, str>, String)> {
        const OWN: [&str; 5] = ["csrf_token", "lang", "bookings", "affected", "reason"];
        self.0
            .iter()
            .filter(|(name, _)| !OWN.contains(&name.as_str()))
            .map(|(name, value)| (Cow::Owned(name.clone()), value.clone()))
            .collect()
    }

    /// The version read and the choice for the affected bookings.
    pub(crate) fn chosen(&self) -> AppResult<Chosen> {
        Chosen::of(
            self.one("version"),
            self.one("bookings"),
            self.one("affected").unwrap_or_default(),
            self.one("reason").unwrap_or_default(),
        )
    }
}
