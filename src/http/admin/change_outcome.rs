//! What a page does with a change that can touch bookings once it is sent: the preview of
//! the confirmed bookings in its way with the choice for them, the way back saying what
//! came of it, or the form again when the change is refused. Every form of a location,
//! its capacity and its desks answers through it.

use std::borrow::Cow;

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use minijinja::context;
use serde::Serialize;

use super::fields::{Chosen, Fields};
use super::{layout, Admin};
use crate::app::closures::{Affected, Ask, Closed};
use crate::domain::booking::Language;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::messages::{self, day_time};

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
pub(super) struct Asked {
    pub action: String,
    /// The page to go back to without changing anything, and its section of the nav.
    pub back: (String, &'static str),
    pub texts: &'static str,
    pub hidden: Vec<(Cow<'static, str>, String)>,
    pub reason: Option<(String, Option<String>)>,
}

impl Asked {
    /// Asked from a plain form at `action`, in the words of the catalogue's section
    /// `texts`: the change's own fields carried, and the reason for cancelled citizens
    /// asked for with the bookings, as typed, with what is wrong when a cancellation came
    /// without one.
    pub(super) fn of_form(
        form: &Fields,
        lang: Language,
        action: String,
        back: (String, &'static str),
        texts: &'static str,
        chosen: &Chosen,
    ) -> Self {
        let error = (chosen.no_reason)
            .then(|| messages::text(lang, "admin_location_edit.error_reason").to_owned());
        Self {
            action,
            back,
            texts,
            hidden: form.carried(),
            reason: Some((chosen.decision.reason.clone(), error)),
        }
    }
}

/// Back to the location's page, in the administration's section of locations.
pub(super) fn to_location(lang: Language, slug: &str) -> (String, &'static str) {
    (
        format!("/staff/admin/locations/{slug}?lang={}", lang.code()),
        "locations",
    )
}

/// The location's page after a change of `changed` (`closure`, `details`, `period`,
/// `errand_hours`), for [`next`] to add what came of it.
pub(super) fn changed_at(lang: Language, slug: &str, changed: &str) -> String {
    format!(
        "/staff/admin/locations/{slug}?lang={}&changed={changed}",
        lang.code()
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

/// A form shown again when its change is refused: read before another administrator's
/// save (who and when), or with what is wrong with it.
pub(super) trait Refusable {
    fn stale(&mut self, alert: String);
    fn wrong(&mut self, lang: Language, errors: &[FieldError]);
}

/// The one mapping of what came of a change made from a page: saved, back to `done` (an
/// address with its query) with how many bookings were cancelled and kept; bookings in the
/// way, the page that asks about them as `asked` says. A stale form or bad values are told
/// to `shown` and `None` is answered, for the page to show it again; anything else is the
/// error.
pub(super) fn next(
    admin: &Admin,
    lang: Language,
    saved: AppResult<Closed>,
    asked: &Asked,
    done: &str,
    shown: &mut impl Refusable,
) -> AppResult<Option<HttpResponse>> {
    match saved {
        Ok(Closed::Done {
            cancelled, kept, ..
        }) => Ok(Some(
            HttpResponse::SeeOther()
                .insert_header((
                    LOCATION,
                    format!("{done}&cancelled={}&kept={}", cancelled.len(), kept.len()),
                ))
                .finish(),
        )),
        Ok(Closed::Choose(ask)) => Ok(Some(preview(admin, lang, asked, &ask)?)),
        Err(AppError::Conflict { detail, .. }) => {
            shown.stale(detail.said.map_or(detail.text, |s| s.text(lang)));
            Ok(None)
        }
        Err(AppError::Unprocessable { errors, .. }) if !errors.is_empty() => {
            shown.wrong(lang, &errors);
            Ok(None)
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
