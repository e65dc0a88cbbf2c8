//! `/staff/admin/locations`: the locations, and each location's closures with the form that
//! closes it — whole days or part of a day. A closure over confirmed bookings first shows
//! them and asks whether to keep or cancel them; the choice and the closure are saved together.

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::location_details::DetailsForm;
use super::{layout, Admin, AdminForm, CarriesCsrf};
use crate::app::closures::{self, Affected, CloseRequest, Closed};
use crate::app::location_edit;
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::closing::{BookingsChoice, ClosureInput};
use crate::domain::hours::{Closure, HoursError};
use crate::domain::organisation::{parse_choice, Location};
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::http::lang::{self, LangQuery};
use crate::http::paths::LocationPath;
use crate::messages::{self, day, day_time};

/// `GET /staff/admin/locations`
#[utoipa::path(get, path = "/staff/admin/locations", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The locations", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator")))]
pub async fn list(
    admin: Admin,
    state: web::Data<AppState>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let locations = blocking::run(&state, catalogue::locations).await?;
    let places: Vec<Place> = locations
        .into_iter()
        .map(|l| Place {
            href: format!("/staff/admin/locations/{}?lang={}", l.slug, lang.code()),
            name: l.name,
            address: l.address,
        })
        .collect();
    layout::page(
        "admin_locations.html",
        &admin,
        lang,
        "locations",
        context! { places },
    )
}

#[derive(Serialize)]
struct Place {
    href: String,
    name: String,
    address: String,
}

/// `?cancelled=N&kept=N` after a closure is saved: what came of it.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SavedQuery {
    /// `details` after the details and hours are saved; a closure otherwise.
    changed: Option<String>,
    /// Bookings cancelled by the closure just saved.
    cancelled: Option<usize>,
    /// Bookings kept over capacity by the closure just saved.
    kept: Option<usize>,
}

/// `GET /staff/admin/locations/{location}`
#[utoipa::path(get, path = "/staff/admin/locations/{location}", tag = "pages", params(LocationPath, LangQuery, SavedQuery),
    security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The location's closures and the form to close it", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn show(
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
    saved: web::Query<SavedQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner().location;
    let saved = match (saved.cancelled, saved.kept) {
        (None, None) => None,
        (cancelled, kept) => {
            let section = match saved.changed.as_deref() {
                Some("details") => "admin_location_edit",
                _ => "admin_locations",
            };
            Some(saved_with(
                lang,
                section,
                cancelled.unwrap_or(0),
                kept.unwrap_or(0),
            ))
        }
    };
    location_page(&state, &admin, lang, &slug, Filled::default(), None, saved).await
}

/// What came of a saved change, in the words of the catalogue's section `section`.
fn saved_with(lang: Language, section: &str, cancelled: usize, kept: usize) -> String {
    let key = match (cancelled, kept) {
        (0, 0) => "saved",
        (_, 0) => "saved_cancelled",
        _ => "saved_kept",
    };
    let n = cancelled.max(kept).to_string();
    messages::text_with(lang, &format!("{section}.{key}"), &[("n", &n)])
}

/// What the closure form holds, as typed, with what is wrong with each field.
#[derive(Debug, Default, Serialize)]
pub(super) struct Filled {
    from: String,
    to: String,
    closed_from: String,
    closed_until: String,
    reason: String,
    errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize)]
pub(super) struct FieldProblem {
    pub field: &'static str,
    pub text: String,
}

pub(super) async fn location_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    filled: Filled,
    details: Option<DetailsForm>,
    saved: Option<String>,
) -> AppResult<HttpResponse> {
    let slug = slug.to_owned();
    let ((location, version, list), contact) = blocking::run(state, move |conn| {
        let read = closures::read(conn, &slug)?;
        let contact = location_edit::read(conn, &slug)?.1;
        Ok((read, contact))
    })
    .await?;
    let details = details.unwrap_or_else(|| DetailsForm::of(&location, contact, lang));
    let status = if details.alert.is_some() {
        StatusCode::CONFLICT
    } else if filled.errors.is_empty() && details.errors.is_empty() {
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

/// The closure form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClosureForm {
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    closed_from: String,
    #[serde(default)]
    closed_until: String,
    reason: String,
    /// The location's version the form was read at.
    version: i32,
    /// `keep` or `cancel`, from the page that shows the affected bookings.
    #[serde(default)]
    bookings: Option<String>,
    /// The references of the affected bookings shown, separated by commas.
    #[serde(default)]
    affected: String,
    csrf_token: String,
    #[serde(default)]
    lang: Option<String>,
}

impl CarriesCsrf for ClosureForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /staff/admin/locations/{location}/closures`: saves the closure and returns to the
/// location; shows the bookings it affects first, and the form again with what is wrong.
#[utoipa::path(post, path = "/staff/admin/locations/{location}/closures", tag = "pages", params(LocationPath),
    request_body(content = ClosureForm, content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = []), ("session" = []), ()),
    responses((status = 303, description = "Saved: back to the location, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The confirmed bookings the closure affects, to keep or cancel", content_type = "text/html", body = String),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such location"),
        (status = 409, description = "the location changed after the form was read: who changed it and when"),
        (status = 422, description = "the form again, saying what is wrong", content_type = "text/html", body = String)))]
pub async fn close(
    sent: AdminForm<ClosureForm>,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let lang = lang::of_form(form.lang.as_deref(), lang);
    let slug = path.into_inner().location;
    let input = ClosureInput {
        from: &form.from,
        to: &form.to,
        closed_from: &form.closed_from,
        closed_until: &form.closed_until,
        reason: &form.reason,
    };
    let closure = match input.parse() {
        Ok(closure) => closure,
        Err(problems) => {
            let filled = refilled(&form, problems, lang);
            return location_page(&state, &admin, lang, &slug, filled, None, None).await;
        }
    };
    let choice = match form.bookings.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(
            parse_choice::<BookingsChoice>(raw)
                .map_err(|e| AppError::invalid_field("bookings", e))?,
        ),
        None => None,
    };
    let request = CloseRequest {
        closure,
        version: form.version,
        choice,
        seen: form
            .affected
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let closed = blocking::run(&state, move |conn| {
        closures::close(conn, &user, &at, &request, now)
    })
    .await?;
    match closed {
        Closed::Done {
            cancelled, kept, ..
        } => Ok(HttpResponse::SeeOther()
            .insert_header((
                LOCATION,
                format!(
                    "/staff/admin/locations/{slug}?lang={}&cancelled={}&kept={}",
                    lang.code(),
                    cancelled.len(),
                    kept.len()
                ),
            ))
            .finish()),
        Closed::Choose { location, affected } => {
            let hidden = [
                ("from", form.from.clone()),
                ("to", form.to.clone()),
                ("closed_from", form.closed_from.clone()),
                ("closed_until", form.closed_until.clone()),
                ("reason", form.reason.clone()),
                ("version", form.version.to_string()),
            ];
            let asked = Asked {
                action: format!("/staff/admin/locations/{slug}/closures"),
                texts: "admin_locations",
                hidden: &hidden,
                reason: None,
            };
            preview(&admin, lang, &asked, &location, &affected)
        }
    }
}

fn refilled(
    form: &ClosureForm,
    problems: Vec<(&'static str, HoursError)>,
    lang: Language,
) -> Filled {
    let errors = problems
        .into_iter()
        .map(|(field, e)| {
            let args = e.args();
            let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            FieldProblem {
                field,
                text: messages::text_with(lang, e.key(), &pairs),
            }
        })
        .collect();
    Filled {
        from: form.from.clone(),
        to: form.to.clone(),
        closed_from: form.closed_from.clone(),
        closed_until: form.closed_until.clone(),
        reason: form.reason.clone(),
        errors,
    }
}

#[derive(Serialize)]
struct AffectedLine {
    when: String,
    errand: String,
    citizen: String,
    reference: String,
}

/// The form that asks what becomes of the affected bookings: where it is sent, the
/// catalogue's section of its words, the fields it carries over, and, when the change
/// has no reason of its own, the reason to give cancelled citizens (with what is wrong
/// with it).
pub(super) struct Asked<'a> {
    pub action: String,
    pub texts: &'static str,
    pub hidden: &'a [(&'static str, String)],
    pub reason: Option<(String, Option<String>)>,
}

/// The bookings a change would leave outside the hours, and the choice.
pub(super) fn preview(
    admin: &Admin,
    lang: Language,
    asked: &Asked,
    location: &Location,
    affected: &[Affected],
) -> AppResult<HttpResponse> {
    let lines: Vec<AffectedLine> = affected
        .iter()
        .map(|a| AffectedLine {
            when: day_time(lang, a.start, location.timezone),
            errand: a.errand(lang).to_owned(),
            citizen: a.citizen.clone().unwrap_or_default(),
            reference: a.reference.clone(),
        })
        .collect();
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
        "locations",
        context! {
            location => location.name.clone(),
            slug => location.slug.to_string(),
            affected => lines,
            count,
            references => references.join(","),
            action => asked.action.clone(),
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
