//! The location's administration page and the preview of the bookings a change would
//! leave outside the hours: shared by the closure and the details forms' handlers.

use std::borrow::Cow;
use std::collections::BTreeMap;

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Weekday;
use minijinja::context;
use serde::Serialize;

use super::fields::Fields;
use super::{layout, Admin};
use crate::app::closures::{self, Affected, Ask, Closed};
use crate::app::location_edit;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::hours::{Closure, HoursError, WEEKDAY_KEYS};
use crate::domain::location_draft::LocationDraft;
use crate::domain::organisation::Location;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::messages::{self, day, day_time, weekday};

/// What the closure form holds, as typed, with what is wrong with each field.
#[derive(Debug, Default, Serialize)]
pub(super) struct Filled {
    pub from: String,
    pub to: String,
    pub closed_from: String,
    pub closed_until: String,
    pub reason: String,
    pub errors: Vec<FieldProblem>,
}

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

/// The page's forms as sent back when one of them is refused; each shows what is stored
/// otherwise.
#[derive(Debug, Default)]
pub(super) struct Forms {
    pub closure: Filled,
    pub details: Option<DetailsForm>,
    pub period: Option<PeriodForm>,
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
    } = forms;
    let slug = slug.to_owned();
    let ((location, version, list), contact) = blocking::run(state, move |conn| {
        let read = closures::read(conn, &slug)?;
        let contact = location_edit::read(conn, &slug)?.1;
        Ok((read, contact))
    })
    .await?;
    let period = period.unwrap_or_else(|| PeriodForm::of(&location, lang));
    let details =
        details.unwrap_or_else(|| DetailsForm::of(&location, contact, version.number, lang));
    let status = if details.alert.is_some() {
        StatusCode::CONFLICT
    } else if filled.errors.is_empty() && details.errors.is_empty() && period.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
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

#[derive(Debug, Serialize)]
pub(super) struct DayField {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
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
        }
    }

    /// Each weekday's ranges as typed, days left empty closed.
    pub(super) fn hours(&self) -> BTreeMap<String, Vec<String>> {
        ranges_of(&self.days)
    }
}

/// Each day's ranges of `days` as typed (`10:00-12:00, 13:00-17:00`), empty days left out.
fn ranges_of(days: &[DayField]) -> BTreeMap<String, Vec<String>> {
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

#[derive(Serialize)]
struct AffectedLine {
    when: String,
    errand: String,
    citizen: String,
    reference: String,
}

/// The form that asks what becomes of the affected bookings: where it is sent, where
/// back is, the catalogue's section of its words, the fields it carries over, and, when the change
/// has no reason of its own, the reason to give cancelled citizens (with what is wrong
/// with it).
pub(super) struct Asked<'a> {
    pub action: String,
    /// The page to go back to without changing anything, and its section of the nav.
    pub back: (String, &'static str),
    pub texts: &'static str,
    pub hidden: &'a [(Cow<'static, str>, String)],
    pub reason: Option<(String, Option<String>)>,
}

/// The reason for cancelled citizens, asked for with the bookings: as typed, with what is
/// wrong when a cancellation came without one.
pub(super) fn reason_asked(
    lang: Language,
    reason: String,
    no_reason: bool,
) -> Option<(String, Option<String>)> {
    let error =
        no_reason.then(|| messages::text(lang, "admin_location_edit.error_reason").to_owned());
    Some((reason, error))
}

/// Back to the location's page, in the administration's section of locations.
pub(super) fn to_location(lang: Language, slug: &str) -> (String, &'static str) {
    (
        format!("/staff/admin/locations/{slug}?lang={}", lang.code()),
        "locations",
    )
}

/// The bookings a change would leave outside the hours, and the choice; below them those
/// it affects that were kept despite an earlier change, which stay as they are.
pub(super) fn preview(
    admin: &Admin,
    lang: Language,
    asked: &Asked,
    Ask {
        location,
        affected,
        kept,
    }: &Ask,
) -> AppResult<HttpResponse> {
    let line = |a: &Affected| AffectedLine {
        when: day_time(lang, a.start, location.timezone),
        errand: a.errand(lang).to_owned(),
        citizen: a.citizen.clone().unwrap_or_default(),
        reference: a.reference.clone(),
    };
    let lines: Vec<AffectedLine> = affected.iter().map(line).collect();
    let kept_lines: Vec<AffectedLine> = kept.iter().map(line).collect();
    let references: Vec<&str> = affected.iter().map(|a| a.reference.as_str()).collect();
    let count = affected.len().to_string();
    let hidden: Vec<_> = asked
        .hidden
        .iter()
        .map(|(name, value)| context! { name, value })
        .collect();
    let (reason, reason_error) = match &asked.reason {
        Some((value, error)) => (Some(value.clone()), error.clone()),
        None => (None, None),
    };
    let mut page = layout::page(
        "admin_closure_preview.html",
        admin,
        lang,
        asked.back.1,
        context! {
            location => location.name.clone(),
            slug => location.slug.to_string(),
            affected => lines,
            kept => kept_lines,
            count,
            references => references.join(","),
            action => asked.action.clone(),
            back => asked.back.0.clone(),
            texts => asked.texts,
            hidden,
            reason,
            reason_error,
        },
    )?;
    if asked.reason.as_ref().is_some_and(|(_, e)| e.is_some()) {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(page)
}

/// Back to the location's page after a change of `changed` (`closure`, `details`,
/// `period`), saying how many bookings it cancelled or kept.
pub(super) fn back_to_location(
    slug: &str,
    lang: Language,
    changed: &str,
    cancelled: usize,
    kept: usize,
) -> HttpResponse {
    let to = format!(
        "/staff/admin/locations/{slug}?lang={}&changed={changed}&cancelled={cancelled}&kept={kept}",
        lang.code()
    );
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, to))
        .finish()
}

/// What a page does next with a change that may touch bookings, once [`next`] has answered
/// what it can.
pub(super) enum Next {
    /// Saved (back to the page, saying what came of it), or the bookings in its way asked
    /// about.
    Answer(HttpResponse),
    /// Read before another administrator's save: the form again, saying who and when (409).
    Stale(String),
    /// The form again with these problems (422).
    Wrong(Vec<FieldError>),
}

/// The one mapping of what came of a change made from a page: saved, back to `done` (an
/// address with its query) with how many bookings were cancelled and kept; bookings in the
/// way, the page that asks about them as `asked` says; a stale form or bad values, for the
/// page to show again; anything else, its error.
pub(super) fn next(
    admin: &Admin,
    lang: Language,
    saved: AppResult<Closed>,
    asked: &Asked,
    done: &str,
) -> AppResult<Next> {
    match saved {
        Ok(Closed::Done {
            cancelled, kept, ..
        }) => Ok(Next::Answer(
            HttpResponse::SeeOther()
                .insert_header((
                    LOCATION,
                    format!("{done}&cancelled={}&kept={}", cancelled.len(), kept.len()),
                ))
                .finish(),
        )),
        Ok(Closed::Choose(ask)) => Ok(Next::Answer(preview(admin, lang, asked, &ask)?)),
        Err(AppError::Conflict { detail, .. }) => Ok(Next::Stale(
            detail.said.map_or(detail.text, |s| s.text(lang)),
        )),
        Err(AppError::Unprocessable { errors, .. }) if !errors.is_empty() => {
            Ok(Next::Wrong(errors))
        }
        Err(other) => Err(other),
    }
}

/// What came of a saved change, in the words of the catalogue's section `section`.
pub(super) fn saved_with(lang: Language, section: &str, cancelled: usize, kept: usize) -> String {
    let key = match (cancelled, kept) {
        (0, 0) => "saved",
        (_, 0) => "saved_cancelled",
        _ => "saved_kept",
    };
    let n = cancelled.max(kept).to_string();
    messages::text_with(lang, &format!("{section}.{key}"), &[("n", &n)])
}
