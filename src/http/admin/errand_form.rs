//! An errand's own hours on the location's page: its line, with its hours in words or that
//! it follows the location's, and the form that sets them as shown, open when refused.

use std::collections::BTreeMap;

use serde::Serialize;

use super::fields::Fields;
use super::hours_fields::{days, ranges_of, DayField, FieldProblem};
use crate::app::location_edit::ErrandHours;
use crate::domain::booking::Language;
use crate::domain::organisation::Location;
use crate::messages;

/// An errand offered at the location as its section shows it: its own hours in words, or
/// that it follows the location's, and the form that sets them, open when it was refused.
#[derive(Debug, Serialize)]
pub(super) struct ErrandLine {
    slug: String,
    name: String,
    hours: String,
    /// It keeps hours of its own, which the form can remove.
    own: bool,
    open: bool,
    form: ErrandForm,
}

impl ErrandLine {
    pub(super) fn of(
        e: &ErrandHours,
        location: &Location,
        version: i32,
        typed: Option<ErrandForm>,
        lang: Language,
    ) -> Self {
        let slug = e.errand.spec.slug.to_string();
        let hours = match &e.own {
            Some(own) if !own.is_empty() => messages::week(lang, own),
            Some(_) => messages::text(lang, "admin_errand_hours.closed").to_owned(),
            None => messages::text(lang, "admin_errand_hours.follows").to_owned(),
        };
        let open = typed.is_some();
        let form = typed.unwrap_or_else(|| {
            let map = e.own.as_ref().unwrap_or(&location.opening_hours).to_map();
            ErrandForm {
                days: days(lang, |key| {
                    map.get(key).map(|r| r.join(", ")).unwrap_or_default()
                }),
                slug: slug.clone(),
                version: version.to_string(),
                errors: Vec::new(),
                alert: None,
            }
        });
        Self {
            name: e.errand.spec.name(lang).to_owned(),
            slug,
            hours,
            own: e.own.is_some(),
            open,
            form,
        }
    }
}

/// The form of one errand's own hours as shown: each weekday's ranges as one line, the
/// version it was first read at (kept through a refusal, as the details form keeps it),
/// what is wrong, and the refusal of a stale save.
#[derive(Debug, Serialize)]
pub(super) struct ErrandForm {
    pub slug: String,
    pub days: Vec<DayField>,
    pub version: String,
    pub errors: Vec<FieldProblem>,
    pub alert: Option<String>,
}

impl ErrandForm {
    /// As typed: `errand_hours_mon` … `errand_hours_sun`.
    pub(super) fn typed(fields: &Fields, slug: &str, lang: Language) -> Self {
        let value = |name: &str| fields.one(name).unwrap_or_default().to_owned();
        Self {
            slug: slug.to_owned(),
            days: days(lang, |key| value(&format!("errand_hours_{key}"))),
            version: value("version"),
            errors: Vec::new(),
            alert: None,
        }
    }

    /// The id of the input of the weekday `key` (`mon`).
    pub(super) fn input(&self, key: &str) -> String {
        format!("eh-{}-{key}", self.slug)
    }

    /// Each weekday's ranges as typed, days left empty closed.
    pub(super) fn hours(&self) -> BTreeMap<String, Vec<String>> {
        ranges_of(&self.days)
    }
}
