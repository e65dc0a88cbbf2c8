//! `/staff/admin/desks`: the desks of each location in the browser: rename, change errands
//! and kind, take out of order and back, add one. Plain forms with the session's CSRF
//! token; the same use cases and checks as the API.

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::change_outcome::{preview, saved_with, Asked};
use super::fields::Fields;
use super::{layout, Admin, AdminForm};
use crate::app::desk_admin::{self, DeskRecord, DeskSaved};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::desk_draft::DeskDraft;
use crate::domain::ids::DeskId;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::{blocking, lang};
use crate::messages;

/// Which location's desks.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DesksQuery {
    /// A location's slug; the first location when left out.
    #[param(example = "raadhuset")]
    location: Option<String>,
    /// What was just done: `saved` or `created`.
    done: Option<String>,
    /// Bookings cancelled by the save just made.
    cancelled: Option<usize>,
    /// Bookings kept without a desk by the save just made.
    kept: Option<usize>,
}

/// A desk by its id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DeskPagePath {
    #[param(example = 1)]
    pub desk: i64,
}

/// A location by its slug.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DeskLocationPath {
    #[param(example = "raadhuset")]
    pub location: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Debug, Serialize)]
struct DeskForm {
    /// 0 for the new desk's form.
    id: i64,
    version: i32,
    name: String,
    resource: bool,
    out_of_order: bool,
    services: Vec<Choice>,
    errors: Vec<Value>,
    alert: Option<String>,
}

struct Place {
    slug: String,
    name: String,
    offered: Vec<(String, String)>,
    desks: Vec<DeskRecord>,
    all: Vec<(String, String)>,
}

async fn place(
    state: &web::Data<AppState>,
    admin: &Admin,
    wanted: Option<String>,
    lang: Language,
) -> AppResult<Place> {
    let user = admin.user.clone();
    blocking::run(state, move |conn| {
        let all: Vec<_> = crate::store::organisations::list_locations(conn)?
            .into_iter()
            .filter(|l| l.organisation_id == user.organisation_id)
            .collect();
        let location = match wanted {
            Some(slug) => all.iter().find(|l| l.slug.as_str() == slug),
            None => all.first(),
        }
        .cloned()
        .ok_or_else(|| AppError::not_found("there is no such location"))?;
        let offered = crate::store::organisations::services_at(conn, location.id)?
            .into_iter()
            .map(|s| (s.spec.slug.to_string(), s.spec.name(lang).to_owned()))
            .collect();
        let desks = desk_admin::list(conn, &user, location.slug.as_str())?;
        Ok(Place {
            slug: location.slug.to_string(),
            name: location.name,
            offered,
            desks,
            all: all
                .into_iter()
                .map(|l| (l.slug.to_string(), l.name))
                .collect(),
        })
    })
    .await
}

fn form_of(place: &Place, desk: Option<&DeskRecord>) -> DeskForm {
    let ticked: &[String] = desk.map_or(&[], |d| &d.services);
    DeskForm {
        id: desk.map_or(0, |d| d.id.0),
        version: desk.map_or(0, |d| d.revision.version),
        name: desk.map(|d| d.name.clone()).unwrap_or_default(),
        resource: desk.is_some_and(|d| !d.kind.is_staffed()),
        out_of_order: desk.is_some_and(|d| d.out_of_order),
        services: place
            .offered
            .iter()
            .map(|(value, label)| Choice {
                value: value.clone(),
                label: label.clone(),
                checked: ticked.contains(value),
            })
            .collect(),
        errors: Vec::new(),
        alert: None,
    }
}

/// The page, with one form shown as sent and refused when `refused` says so.
async fn page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    wanted: Option<String>,
    notice: Option<String>,
    refused: Option<(i64, DeskDraft, AppError)>,
) -> AppResult<HttpResponse> {
    let place = place(state, admin, wanted, lang).await?;
    let mut forms: Vec<DeskForm> = place
        .desks
        .iter()
        .map(|d| form_of(&place, Some(d)))
        .collect();
    forms.push(form_of(&place, None));
    let mut status = StatusCode::OK;
    if let Some((id, draft, error)) = refused {
        let form = forms
            .iter_mut()
            .find(|f| f.id == id)
            .expect("the form sent");
        form.name = draft.name.clone();
        form.resource = draft.kind.as_deref() == Some("resource");
        form.out_of_order = draft.out_of_order;
        for c in &mut form.services {
            c.checked = draft.services.contains(&c.value);
        }
        match error {
            AppError::Unprocessable { errors, .. } => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                form.errors = errors.iter().map(|e| error_view(lang, id, e)).collect();
            }
            AppError::Conflict { detail, .. } => {
                status = StatusCode::CONFLICT;
                form.alert = Some(detail.said.map_or(detail.text, |s| s.text(lang)));
            }
            other => return Err(other),
        }
    }
    let locations: Vec<Value> = place
        .all
        .iter()
        .map(|(slug, name)| context! { slug, name, current => *slug == place.slug })
        .collect();
    let mut response = layout::page(
        "admin_desks.html",
        admin,
        lang,
        "desks",
        context! {
            location => place.slug,
            location_name => place.name,
            locations,
            desks => forms,
            notice,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

fn error_view(lang: Language, id: i64, e: &FieldError) -> Value {
    let key = match e.field.as_str() {
        "name" => "admin_people.error_desk_name",
        "kind" => "admin_people.error_desk_kind",
        "services" => "admin_people.error_desk_services",
        _ => "admin_people.error_other",
    };
    context! {
        field => e.field.clone(),
        anchor => format!("desk-{id}-{}", e.field),
        text => messages::text(lang, key),
    }
}

/// `GET /staff/admin/desks`
#[utoipa::path(get, path = "/staff/admin/desks", tag = "pages", params(DesksQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The desks of a location, each with its form", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn list(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<DesksQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let notice = match (query.done.as_deref(), query.cancelled, query.kept) {
        (Some("saved"), None, None) => {
            Some(messages::text(lang, "admin_people.done_saved").to_owned())
        }
        (Some("saved"), cancelled, kept) => Some(saved_with(
            lang,
            "admin_desk_bookings",
            cancelled.unwrap_or(0),
            kept.unwrap_or(0),
        )),
        (Some("created"), ..) => {
            Some(messages::text(lang, "admin_people.done_desk_created").to_owned())
        }
        _ => None,
    };
    page(&state, &admin, lang, query.location, notice, None).await
}

impl Fields {
    fn desk(&self) -> DeskDraft {
        DeskDraft {
            name: self.one("name").unwrap_or_default().to_owned(),
            kind: Some(
                if self.one("resource").is_some() {
                    "resource"
                } else {
                    "counter"
                }
                .to_owned(),
            ),
            services: self.all("services"),
            out_of_order: self.one("out_of_order").is_some(),
        }
    }
}

fn back(location: &str, lang: Language, done: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!(
                "/staff/admin/desks?location={location}&lang={}&done={done}",
                lang.code()
            ),
        ))
        .finish()
}

/// `POST /staff/admin/desks/{desk}`: saves a desk's form, read at its `version`; shows the
/// confirmed bookings the change leaves without a desk first, to keep or cancel.
#[utoipa::path(post, path = "/staff/admin/desks/{desk}", tag = "pages", params(DeskPagePath), request_body(content = Object, description = "`name`, `resource`, `services` (repeated errand slugs), `out_of_order`, `version`, `bookings`, `affected`, `reason`, `csrf_token`", content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the location's desks, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The confirmed bookings the change leaves without a desk, to keep or cancel", content_type = "text/html", body = String),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such desk"),
        (status = 409, description = "changed by someone else since the form was read: the page says who and when", content_type = "text/html", body = String),
        (status = 422, description = "the page again with what to mend", content_type = "text/html", body = String)))]
pub async fn save(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<DeskPagePath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let lang = lang::of_form(form.one("lang"), lang);
    let id = DeskId(path.desk);
    let draft = form.desk();
    let chosen = form.chosen()?;
    let (user, now, sent_draft) = (admin.user.clone(), state.clock.now(), draft.clone());
    let location = {
        let user = user.clone();
        blocking::run(&state, move |conn| desk_admin::get(conn, &user, id))
            .await?
            .location
    };
    let asked = Asked::of_form(
        &form,
        lang,
        format!("/staff/admin/desks/{}", id.0),
        (
            format!(
                "/staff/admin/desks?location={location}&lang={}",
                lang.code()
            ),
            "desks",
        ),
        "admin_desk_bookings",
        &chosen,
    );
    let decision = chosen.decision;
    let result = blocking::run(&state, move |conn| {
        desk_admin::update(conn, &user, id, &sent_draft, &decision, now)
    })
    .await;
    match result {
        Ok(DeskSaved::Done {
            cancelled, kept, ..
        }) => {
            let done = match (cancelled.len(), kept.len()) {
                (0, 0) => "saved".to_owned(),
                (c, k) => format!("saved&cancelled={c}&kept={k}"),
            };
            Ok(back(&location, lang, &done))
        }
        Ok(DeskSaved::Choose(ask)) => preview(&admin, lang, &asked, &ask),
        Err(e) => {
            page(
                &state,
                &admin,
                lang,
                Some(location),
                None,
                Some((id.0, draft, e)),
            )
            .await
        }
    }
}

/// `POST /staff/admin/locations/{location}/desks`: adds a desk.
#[utoipa::path(post, path = "/staff/admin/locations/{location}/desks", tag = "pages", params(DeskLocationPath), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Added: back to the location's desks", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such location"),
        (status = 422, description = "the page again with what to mend", content_type = "text/html", body = String)))]
pub async fn create(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<DeskLocationPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let location = path.into_inner().location;
    let draft = form.desk();
    let (user, now, sent_draft, at) = (
        admin.user.clone(),
        state.clock.now(),
        draft.clone(),
        location.clone(),
    );
    let result = blocking::run(&state, move |conn| {
        desk_admin::create(conn, &user, &at, &sent_draft, now)
    })
    .await;
    match result {
        Ok(_) => Ok(back(&location, lang, "created")),
        Err(e) => {
            page(
                &state,
                &admin,
                lang,
                Some(location),
                None,
                Some((0, draft, e)),
            )
            .await
        }
    }
}
