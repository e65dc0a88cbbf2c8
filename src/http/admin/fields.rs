//! A plain form's fields as the administration pages send them: checkboxes repeat their
//! name, one pair each, which a struct of the form could not hold.

use std::borrow::Cow;

use serde::Deserialize;

use super::CarriesCsrf;
use crate::domain::closing::BookingsChoice;
use crate::domain::organisation::parse_choice;
use crate::error::{AppError, AppResult};

/// What the page of affected bookings sent back with a change.
pub(crate) struct Chosen {
    /// Left out while a cancellation has no reason, so that the bookings are shown again.
    pub choice: Option<BookingsChoice>,
    /// The references of the bookings shown.
    pub seen: Vec<String>,
    pub reason: String,
    /// A cancellation was asked for without a reason.
    pub no_reason: bool,
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

    /// The choice for the affected bookings, the ones shown, and the reason.
    pub(crate) fn chosen(&self) -> AppResult<Chosen> {
        let choice = self.choice()?;
        let reason = self.text("reason").unwrap_or_default();
        let no_reason = choice == Some(BookingsChoice::Cancel) && reason.is_empty();
        Ok(Chosen {
            choice: choice.filter(|_| !no_reason),
            seen: self.seen(),
            reason,
            no_reason,
        })
    }

    /// The choice for the affected bookings, when one was made.
    pub(crate) fn choice(&self) -> AppResult<Option<BookingsChoice>> {
        self.text("bookings")
            .map(|raw| {
                parse_choice::<BookingsChoice>(&raw)
                    .map_err(|e| AppError::invalid_field("bookings", e))
            })
            .transpose()
    }

    /// The references of the affected bookings shown.
    pub(crate) fn seen(&self) -> Vec<String> {
        self.one("affected")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect()
    }
}
