//! The planner's page: a roster's chart of forecast, required and planned desks per
//! interval, the roster table, a form to change the target and plan again, and publishing
//! after a preview. Planning and publishing go through the JSON API with the session's
//! cookie and CSRF token.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::lang::LangQuery;
use super::page::render;
use super::session::StaffPage;
use super::{blocking, planner_view, staff_layout};
use crate::app::plan::PLANNER_ROLES;
use crate::app::{rosters, AppState};
use crate::domain::booking::Language;
use crate::error::AppResult;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RosterQuery {
    /// A stored roster to show.
    roster: Option<i64>,
}

/// `GET /staff/planner[?roster=ID]`
#[utoipa::path(get, path = "/staff/planner", tag = "pages", params(LangQuery, RosterQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The planner", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster")))]
pub async fn planner(
    state: web::Data<AppState>,
    session: StaffPage,
    lang: Language,
    query: web::Query<RosterQuery>,
) -> AppResult<HttpResponse> {
    session.require(PLANNER_ROLES)?;
    let id = query.roster;
    let data = blocking::run(&state, move |conn| rosters::planner_data(conn, id)).await?;
    let today = state.clock.now().date_naive();
    let mut ctx = planner_view::page(&data, today, lang);
    ctx.insert("staff", staff_layout::chrome(&session, lang));
    render("planner.html", minijinja::Value::from_serialize(&ctx))
}
