//! The planner's API: plan a roster, read it, publish it as the bookable capacity.

use actix_web::{web, HttpRequest, HttpResponse};

use super::session::StaffSession;
use super::{blocking, body};
use crate::app::plan::PLANNER_ROLES;
use crate::app::rosters::{self, PreviewLine, RosterBody, RosterView};
use crate::app::AppState;
use crate::error::{AppError, AppResult};

/// A roster by its id.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RosterPath {
    #[param(example = 1)]
    pub id: i64,
}

/// Plan and store a roster: forecast, staffing requirement, optimised shifts, simulated waits.
#[utoipa::path(post, path = "/api/v1/rosters", tag = "planning", request_body = RosterBody, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 201, body = RosterView), (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "a field of the body is not valid: named in `errors`")))]
pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    session.require(PLANNER_ROLES)?;
    let input: RosterBody = body::json(&req, payload).await?;
    let request = input.into_request()?;
    let now = state.clock.now();
    let roster = blocking::run(&state, move |conn| rosters::create(conn, &request, now)).await?;
    Ok(HttpResponse::Created().json(roster))
}

/// A stored roster.
#[utoipa::path(get, path = "/api/v1/rosters/{id}", tag = "planning", params(RosterPath), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RosterView), (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster")))]
pub async fn show(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
) -> AppResult<web::Json<RosterView>> {
    session.require(PLANNER_ROLES)?;
    let id = id.into_inner();
    Ok(web::Json(
        blocking::run(&state, move |conn| rosters::get(conn, id)).await?,
    ))
}

#[derive(Debug, Default, utoipa::ToSchema)]
pub struct PublishBody {
    /// Share of each interval's planned desks that take appointments (0 to 1; 0.5 if left out).
    pub booked_share: Option<f64>,
}

/// Publish a roster: on its days, a share of each interval's planned desks takes
/// appointments and the rest serve walk-ins; citizens' free times follow it.
#[utoipa::path(post, path = "/api/v1/rosters/{id}/publish", tag = "planning", params(RosterPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    request_body(content = Option<PublishBody>, description = "optional; an empty body takes the default"),
    responses((status = 200, body = RosterView), (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster"),
        (status = 422, description = "a bad `booked_share`, or a field a publication does not have")))]
pub async fn publish(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<web::Json<RosterView>> {
    session.require(PLANNER_ROLES)?;
    let id = id.into_inner();
    let share = booked_share(&body::bytes(payload).await?)?;
    let now = state.clock.now();
    Ok(web::Json(
        blocking::run(&state, move |conn| rosters::publish(conn, id, share, now)).await?,
    ))
}

/// `?booked_share=` of a publication's preview.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ShareQuery {
    /// The share of each interval's planned desks that takes appointments (0–1; 0.5 when left out).
    #[param(example = 0.5)]
    booked_share: Option<f64>,
}

/// What publishing would create — the bookable desk-hours per location and day — and the
/// bookings that would fall outside it. Changes nothing.
#[utoipa::path(get, path = "/api/v1/rosters/{id}/publish-preview", tag = "planning", params(RosterPath, ShareQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [PreviewLine]), (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster"), (status = 422, description = "a share outside 0–1")))]
pub async fn publish_preview(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    query: web::Query<ShareQuery>,
) -> AppResult<web::Json<Vec<PreviewLine>>> {
    session.require(PLANNER_ROLES)?;
    let (id, share) = (id.into_inner(), query.booked_share);
    Ok(web::Json(
        blocking::run(&state, move |conn| {
            rosters::publish_preview(conn, id, share)
        })
        .await?,
    ))
}

/// Withdraw a published roster: the location's weekly capacity rules hold on its days
/// again; bookings already made stay.
#[utoipa::path(post, path = "/api/v1/rosters/{id}/withdraw", tag = "planning", params(RosterPath),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = RosterView), (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster"), (status = 409, description = "the roster is not published")))]
pub async fn withdraw(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
) -> AppResult<web::Json<RosterView>> {
    session.require(PLANNER_ROLES)?;
    let id = id.into_inner();
    Ok(web::Json(
        blocking::run(&state, move |conn| rosters::withdraw(conn, id)).await?,
    ))
}

/// The optional body `{"booked_share": 0.5}`; an empty body, or `null`, takes the default.
fn booked_share(body: &[u8]) -> AppResult<Option<f64>> {
    // Nothing at all takes the default; whitespace alone is no JSON text, so it is refused
    // as any other body that is not JSON.
    if body.is_empty() {
        return Ok(None);
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    if value.is_null() {
        return Ok(None);
    }
    let Some(map) = value.as_object() else {
        return Err(AppError::invalid_field(
            "booked_share",
            "send an object such as {\"booked_share\": 0.5}",
        ));
    };
    if let Some(key) = map.keys().find(|k| *k != "booked_share") {
        return Err(AppError::invalid_field(
            key,
            "is not a field of a publication",
        ));
    }
    match map.get("booked_share") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| {
            AppError::invalid_field("booked_share", format!("must be a number, not {v}"))
        }),
    }
}
