//! The planner's API: plan a roster, read it, publish it as the bookable capacity.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::blocking;
use super::session::StaffSession;
use crate::app::rosters::{self, RosterBody, RosterView};
use crate::app::AppState;
use crate::domain::organisation::Role;
use crate::error::AppResult;

/// Who may plan and publish.
pub const PLANNER_ROLES: &[Role] = &[Role::Planner, Role::Admin];

/// Plan and store a roster: forecast, staffing requirement, optimised shifts, simulated waits.
#[utoipa::path(post, path = "/api/v1/rosters", tag = "planning", request_body = RosterBody,
    responses((status = 201, body = RosterView), (status = 401), (status = 403),
        (status = 422, body = super::problem::Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    body: web::Json<RosterBody>,
) -> AppResult<HttpResponse> {
    session.require(PLANNER_ROLES)?;
    let request = rosters::parse_body(&body)?;
    let now = state.clock.now();
    let roster = blocking(&state, move |conn| rosters::create(conn, &request, now)).await?;
    Ok(HttpResponse::Created().json(roster))
}

/// A stored roster.
#[utoipa::path(get, path = "/api/v1/rosters/{id}", tag = "planning", params(("id" = i64, Path)),
    responses((status = 200, body = RosterView), (status = 401), (status = 403), (status = 404)))]
pub async fn show(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
) -> AppResult<web::Json<RosterView>> {
    session.require(PLANNER_ROLES)?;
    let id = id.into_inner();
    Ok(web::Json(
        blocking(&state, move |conn| rosters::get(conn, id)).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    /// Share of each interval's planned desks that take appointments (0 to 1; 0.5 if left out).
    pub booked_share: Option<f64>,
}

/// Publish a roster: on its days, a share of each interval's planned desks takes
/// appointments and the rest serve walk-ins; citizens' free times follow it.
#[utoipa::path(post, path = "/api/v1/rosters/{id}/publish", tag = "planning", params(("id" = i64, Path)),
    request_body(content = PublishBody, description = "optional"),
    responses((status = 200, body = RosterView), (status = 401), (status = 403), (status = 404),
        (status = 422, body = super::problem::Problem)))]
pub async fn publish(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    body: Option<web::Json<PublishBody>>,
) -> AppResult<web::Json<RosterView>> {
    session.require(PLANNER_ROLES)?;
    let id = id.into_inner();
    let share = body.and_then(|b| b.into_inner().booked_share);
    let now = state.clock.now();
    Ok(web::Json(
        blocking(&state, move |conn| rosters::publish(conn, id, share, now)).await?,
    ))
}
