//! The location's administration page — its details and hours, its errands' own hours,
//! its closures and the forms that close it or reduce its hours for a period — and those
//! forms as shown again when refused; shared by their handlers.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::change_outcome::Refusable;
use super::errand_form::{ErrandForm, ErrandLine};
use super::fields::Fields;
use super::hours_fields::{days, ranges_of, DayField, FieldProblem};
use super::{layout, Admin};
use crate::app::closures;
use crate::app::location_edit;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::hours::Closure;
use crate::domain::location_draft::LocationDraft;
use crate::domain::organisation::Location;
use crate::domain::FieldError;
use crate::error::AppResult;
use crate::http::blocking;
use crate::messages::{self, day};

/// What the closure form holds, as typed, with what is wrong with each field.
#[derive(Debug, Default, Serialize)]
pub(super) struct Filled {
    pub from: String,
    pub to: String,
    pub closed_from: String,
    pub closed_until: String,
    pub reason: String,
    pub errors: Vec<FieldProblem>,
    pub alert: Option<String>,
}

/// The page's forms as sent back when one of them is refused; each shows what is stored
/// otherwise.
#[derive(Debug, Default)]
pub(super) struct Forms {
    pub closure: Filled,
    pub details: Option<DetailsForm>,
    pub period: Option<PeriodForm>,
    pub errand: Option<ErrandForm>,
}

pub(super) async fn location_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    forms: Forms,
    saved: Option<String>,
) -> AppResult<HttpResponse> {
    let Forms {
        closure: filled,
        details,
        period,
        errand,
    } = forms;
    let slug = slug.to_owned();
    let ((location, version, list), contact, errands) = blocking::run(state, move |conn| {
        let read = closures::read(conn, &slug)?;
        let contact = location_edit::read(conn, &slug)?.1;
        let errands = location_edit::errand_hours(conn, &read.0)?;
        Ok((read, contact, errands))
    })
    .await?;
    let period = period.unwrap_or_else(|| PeriodForm::of(&location, lang));
    let details =
        details.unwrap_or_else(|| DetailsForm::of(&location, contact, version.number, lang));
    let stale = details.alert.is_some()
        || filled.alert.is_some()
        || period.alert.is_some()
        || errand.as_ref().is_some_and(|e| e.alert.is_some());
    let wrong = !filled.errors.is_empty()
        || !details.errors.is_empty()
        || !period.errors.is_empty()
        || errand.as_ref().is_some_and(|e| !e.errors.is_empty());
    let status = match (stale, wrong) {
        (true, _) => StatusCode::CONFLICT,
        (false, true) => StatusCode::UNPROCESSABLE_ENTITY,
        (false, false) => StatusCode::OK,
    };
    let mut errand = errand;
    let errands: Vec<ErrandLine> = errands
        .iter()
        .map(|e| {
            let typed = errand.take_if(|f| f.slug == e.errand.spec.slug.as_str());
            ErrandLine::of(e, &location, version.number, typed, lang)
        })
        .collect();
    let shown: Vec<ClosureLine> = list.iter().map(|c| ClosureLine::of(c, lang)).collect();
    let mut page = layout::page(
        "admin_location.html",
        admin,
        lang,
        "locations",
        context! {
            location => location.name,
            slug => location.slug.to_string(),
            address => location.address,
            version => version.number,
            closures => shown,
            filled,
            details,
            period,
            errands,
            saved,
        },
    )?;
    *page.status_mut() = status;
    Ok(page)
}

#[derive(Serialize)]
struct ClosureLine {
    days: String,
    hours: String,
    reason: String,
}

impl ClosureLine {
    fn of(c: &Closure, lang: Language) -> Self {
        let days = if c.first == c.last {
            day(lang, c.first)
        } else {
            format!("{} – {}", day(lang, c.first), day(lang, c.last))
        };
        let hours = messages::closed_part(lang, c)
            .unwrap_or_else(|| messages::text(lang, "admin_locations.all_day").to_owned());
        Self {
            days,
            hours,
            reason: c.reason.clone(),
        }
    }
}

/// The form as shown: each value as typed, each weekday's ranges as one line, what is
/// wrong with each field, and the refusal of a stale save.
#[derive(Debug, Serialize)]
pub struct DetailsForm {
    pub(super) name: String,
    pub(super) address: String,
    pub(super) contact: String,
    pub(super) days: Vec<DayField>,
    /// The location's version the form was first read at: kept through a refusal, so that a
    /// save from a tab read before another's stays refused until the page is reloaded.
    pub(super) version: String,
    pub(super) errors: Vec<FieldProblem>,
    pub(super) alert: Option<String>,
}

impl DetailsForm {
    /// The location as stored, at `version`.
    pub fn of(location: &Location, contact: String, version: i32, lang: Language) -> Self {
        let map = location.opening_hours.to_map();
        Self {
            name: location.name.clone(),
            address: location.address.clone(),
            contact,
            days: days(lang, |key| {
                map.get(key).map(|r| r.join(", ")).unwrap_or_default()
            }),
            version: version.to_string(),
            errors: Vec::new(),
            alert: None,
        }
    }

    pub(super) fn typed(fields: &Fields, lang: Language) -> Self {
        let value = |name: &str| fields.one(name).unwrap_or_default().to_owned();
        Self {
            name: value("name"),
            address: value("address"),
            contact: value("contact"),
            days: days(lang, |key| value(&format!("hours_{key}"))),
            version: value("version"),
            errors: Vec::new(),
            alert: None,
        }
    }

    pub(super) fn draft(&self) -> LocationDraft {
        LocationDraft {
            name: self.name.clone(),
            address: self.address.clone(),
            contact: self.contact.clone(),
            opening_hours: ranges_of(&self.days),
            service_hours: None,
        }
    }
}

/// The form of a period of reduced hours as shown: its days, each weekday's ranges in it as
/// one line (at first the weekly hours, to be shortened), its reason, and what is wrong.
#[derive(Debug, Serialize)]
pub(super) struct PeriodForm {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub days: Vec<DayField>,
    pub errors: Vec<FieldProblem>,
    pub alert: Option<String>,
}

impl PeriodForm {
    fn of(location: &Location, lang: Language) -> Self {
        let map = location.opening_hours.to_map();
        Self {
            from: String::new(),
            to: String::new(),
            reason: String::new(),
            days: days(lang, |key| {
                map.get(key).map(|r| r.join(", ")).unwrap_or_default()
            }),
            errors: Vec::new(),
            alert: None,
        }
    }

    /// As typed: `period_from`, `period_to`, `period_reason` and `period_hours_mon` … .
    pub(super) fn typed(fields: &Fields, lang: Language) -> Self {
        let value = |name: &str| fields.one(name).unwrap_or_default().to_owned();
        Self {
            from: value("period_from"),
            to: value("period_to"),
            reason: value("period_reason"),
            days: days(lang, |key| value(&format!("period_hours_{key}"))),
            errors: Vec::new(),
            alert: None,
        }
    }

    /// Each weekday's ranges as typed, days left empty closed.
    pub(super) fn hours(&self) -> BTreeMap<String, Vec<String>> {
        ranges_of(&self.days)
    }
}

/// A closure's refusal by the use case after its own check passed: a problem on a field
/// the form has, as the use case words it.
fn as_typed(errors: &[FieldError]) -> Vec<FieldProblem> {
    errors
        .iter()
        .map(|e| FieldProblem {
            field: e.field.clone(),
            text: e.message.clone(),
        })
        .collect()
}

impl Refusable for Filled {
    fn stale(&mut self, alert: String) {
        self.alert = Some(alert);
    }

    fn wrong(&mut self, _: Language, errors: &[FieldError]) {
        self.errors = as_typed(errors);
    }
}

impl Refusable for PeriodForm {
    fn stale(&mut self, alert: String) {
        self.alert = Some(alert);
    }

    fn wrong(&mut self, _: Language, errors: &[FieldError]) {
        self.errors = as_typed(errors);
    }
}
