//! `/staff/admin/locations`: the locations, and each location's closures with the form that
//! closes it — whole days or part of a day. A closure over confirmed bookings first shows
//! them and asks whether to keep or cancel them; the choice and the closure are saved together.

use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::change_outcome::{changed_at, next, saved_with, to_location, Asked};
use super::fields::Chosen;
use super::hours_fields::FieldProblem;
use super::location_page::{location_page, Filled, Forms};
use super::{layout, Admin, AdminForm, CarriesCsrf};
use crate::app::closures::{self, CloseRequest};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::closing::ClosureInput;
use crate::domain::hours::HoursError;
use crate::error::AppResult;
use crate::http::blocking;
use crate::http::lang::{self, LangQuery};
use crate::http::paths::LocationPath;

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
    /// `closure`, `details` (the details and hours), `period` (reduced hours for a
    /// period) or `errand_hours` (an errand's own hours): the change just saved.
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
                Some("period") => "admin_reduced_hours",
                Some("errand_hours") => "admin_errand_hours",
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
    location_page(&state, &admin, lang, &slug, Forms::default(), saved).await
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
        (status = 409, description = "the location changed after the form was read: the form again, saying who changed it and when", content_type = "text/html", body = String),
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
        opening_hours: None,
    };
    let closure = match input.parse() {
        Ok(closure) => closure,
        Err(problems) => {
            let forms = Forms {
                closure: refilled(&form, problems, lang),
                ..Forms::default()
            };
            return location_page(&state, &admin, lang, &slug, forms, None).await;
        }
    };
    let chosen = Chosen::of(
        Some(&form.version.to_string()),
        form.bookings.as_deref(),
        &form.affected,
        &form.reason,
    )?;
    let asked = Asked {
        action: format!("/staff/admin/locations/{slug}/closures"),
        back: to_location(lang, &slug),
        texts: "admin_locations",
        hidden: vec![
            ("from".into(), form.from.clone()),
            ("to".into(), form.to.clone()),
            ("closed_from".into(), form.closed_from.clone()),
            ("closed_until".into(), form.closed_until.clone()),
            ("reason".into(), form.reason.clone()),
            ("version".into(), form.version.to_string()),
        ],
        reason: None,
    };
    let request = CloseRequest {
        closure,
        decision: chosen.decision,
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let closed = blocking::run(&state, move |conn| {
        closures::close(conn, &user, &at, &request, now)
    })
    .await;
    let mut shown = refilled(&form, Vec::new(), lang);
    let done = changed_at(lang, &slug, "closure");
    match next(&admin, lang, closed, &asked, &done, &mut shown)? {
        Some(answer) => Ok(answer),
        None => {
            let forms = Forms {
                closure: shown,
                ..Forms::default()
            };
            location_page(&state, &admin, lang, &slug, forms, None).await
        }
    }
}

fn refilled(form: &ClosureForm, problems: Vec<(String, HoursError)>, lang: Language) -> Filled {
    let errors = problems
        .into_iter()
        .map(|(field, e)| FieldProblem::of_hours(lang, field, &e))
        .collect();
    Filled {
        from: form.from.clone(),
        to: form.to.clone(),
        closed_from: form.closed_from.clone(),
        closed_until: form.closed_until.clone(),
        reason: form.reason.clone(),
        errors,
        alert: None,
    }
}
