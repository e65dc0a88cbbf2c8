//! `/api/v1/admin/services/{service}`: an errand as the administration edits it, and saving
//! it, for administrators' scripts and the tests; the pages do the same through the same
//! use case.

use actix_web::web;
use serde::{Deserialize, Serialize};

use super::{Admin, AdminJson};
use crate::app::errand_edit;
use crate::app::AppState;
use crate::domain::errand_draft::ErrandDraft;
use crate::error::AppResult;
use crate::http::blocking;
use crate::http::paths::ErrandPath;

/// An errand as the administration edits it: what a change sends back, and its version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdminErrandView {
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
    pub what_to_bring_da: String,
    pub what_to_bring_en: String,
    pub duration_minutes: u32,
    pub buffer_minutes: u32,
    /// `required`, `optional` or `walk_in_only`.
    pub booking: String,
    pub self_service_url: String,
    /// A video errand's meeting link, with its placeholders; empty: none.
    pub meeting_url: String,
    pub book_ahead_days: u32,
    pub min_notice_minutes: u32,
    pub reminder_hours: u32,
    pub max_future_bookings: u32,
    pub queue_prefix: String,
    pub department: String,
    /// The slugs of the locations that offer it.
    pub locations: Vec<String>,
    /// Send it back with a change: a change read at an older version is refused with 409.
    pub version: i32,
}

/// `GET /api/v1/admin/services/{service}`
#[utoipa::path(get, path = "/api/v1/admin/services/{service}", tag = "admin", params(ErrandPath),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AdminErrandView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such errand")))]
pub async fn show(
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<ErrandPath>,
) -> AppResult<web::Json<AdminErrandView>> {
    let slug = path.into_inner().service;
    let user = admin.user.clone();
    let (record, _) =
        blocking::run(&state, move |conn| errand_edit::read(conn, &user, &slug)).await?;
    let s = record.spec;
    let booking: &'static str = s.booking.into();
    Ok(web::Json(AdminErrandView {
        slug: s.slug.to_string(),
        name_da: s.name_da,
        name_en: s.name_en,
        what_to_bring_da: s.what_to_bring_da.unwrap_or_default(),
        what_to_bring_en: s.what_to_bring_en.unwrap_or_default(),
        duration_minutes: s.duration_minutes,
        buffer_minutes: s.buffer_minutes,
        booking: booking.to_owned(),
        self_service_url: s.self_service_url.unwrap_or_default(),
        meeting_url: s.meeting_url.unwrap_or_default(),
        book_ahead_days: s.book_ahead_days,
        min_notice_minutes: s.min_notice_minutes,
        reminder_hours: s.rules.reminder_hours,
        max_future_bookings: s.rules.max_future_bookings,
        queue_prefix: s.queue_prefix.to_string(),
        department: s.department.to_string(),
        locations: record.offered_at.iter().map(ToString::to_string).collect(),
        version: record.revision.version,
    }))
}

/// An errand to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ErrandChange {
    #[serde(flatten)]
    pub errand: ErrandDraft,
    /// The errand's version this request was made from.
    pub version: i32,
}

/// The errand's new version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrandSaved {
    pub version: i32,
}

/// `PUT /api/v1/admin/services/{service}`: saves the errand; 422 naming each field as the
/// organisation file's check names it below the errand (`locations` for what a location it
/// is offered at refuses); 409 when the errand changed after `version`.
#[utoipa::path(put, path = "/api/v1/admin/services/{service}", tag = "admin", params(ErrandPath),
    request_body = ErrandChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = ErrandSaved), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such errand"),
        (status = 409, description = "the errand changed after `version`: who changed it and when"),
        (status = 422, description = "a bad value, named in `errors` with the organisation file's words")))]
pub async fn update(
    sent: AdminJson<ErrandChange>,
    state: web::Data<AppState>,
    path: web::Path<ErrandPath>,
) -> AppResult<web::Json<ErrandSaved>> {
    let slug = path.into_inner().service;
    let AdminJson { admin, body } = sent;
    let (now, user) = (state.clock.now(), admin.0.user);
    let version = blocking::run(&state, move |conn| {
        errand_edit::save(conn, &user, &slug, &body.errand, body.version, now)
    })
    .await?;
    Ok(web::Json(ErrandSaved { version }))
}
