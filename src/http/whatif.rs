//! What-if for planners: a week planned as it is and under scenarios, side by side.

use actix_web::{web, HttpRequest};
use serde::Deserialize;

use super::session::StaffSession;
use super::{blocking, body};
use crate::app::plan::{TargetSpec, PLANNER_ROLES};
use crate::app::whatif::{what_if, ScenarioFile, WhatIf};
use crate::app::AppState;
use crate::domain::whatif::Scenario;
use crate::domain::Slug;
use crate::error::{AppError, AppResult};

/// A week and the scenarios to compare it with.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfBody {
    /// The ISO week, e.g. `2027-W14`.
    #[schema(example = "2027-W14")]
    pub week: String,
    /// The waiting target; 80 % within 10 minutes when left out.
    pub target: Option<TargetSpec>,
    /// Locations to plan (slugs); all when left out.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub locations: Vec<Slug>,
    /// One to six scenarios, each planned in full.
    pub scenarios: Vec<Scenario>,
}

/// Plan a week as it is and under each scenario (an errand booking-only, a location
/// closed, hours, staff, demand), with simulated waits, staff hours, uncovered intervals,
/// channel cost and bookable capacity side by side.
#[utoipa::path(post, path = "/api/v1/whatif", tag = "planning", request_body = WhatIfBody, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = WhatIf), (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "a field of the body is not valid: named in `errors`")))]
pub async fn compare(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<WhatIf>> {
    session.require(PLANNER_ROLES)?;
    let input: WhatIfBody = body::json(&req, payload).await?;
    let week = crate::domain::roster::iso_week(&input.week)
        .map_err(|e| AppError::invalid_field("week", e))?;
    let file = ScenarioFile {
        target: input
            .target
            .unwrap_or_else(crate::app::whatif::default_target),
        locations: input.locations,
        scenarios: input.scenarios,
    };
    let (now, costs) = (state.clock.now(), state.costs);
    let outcome =
        blocking::run(&state, move |conn| what_if(conn, &file, week, &costs, now)).await?;
    Ok(web::Json(outcome))
}
