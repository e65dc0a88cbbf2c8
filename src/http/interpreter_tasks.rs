//! The planner's interpreter tasks of a day, as JSON.

use actix_web::web;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::session::StaffSession;
use crate::app::interpreter_tasks::{self, InterpreterTask};
use crate::app::AppState;
use crate::domain::organisation::Role;
use crate::error::{AppError, AppResult};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TasksQuery {
    /// The local day.
    #[param(format = Date, example = "2027-03-30")]
    pub date: Option<String>,
    /// One location; every location when left out.
    #[param(example = "raadhuset")]
    pub location: Option<String>,
}

/// An interpreter to arrange: where, when and which language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterpreterTaskView {
    pub location: String,
    pub location_name: String,
    /// The booked start, or when the walk-in's ticket was taken.
    #[schema(value_type = String, format = DateTime, example = "2027-03-30T10:00:00+02:00")]
    pub time: DateTime<FixedOffset>,
    #[schema(example = "arabisk")]
    pub language: Option<String>,
    /// `booking` or `ticket`.
    #[schema(example = "booking")]
    pub source: &'static str,
    /// The walk-in's ticket number.
    pub ticket: Option<String>,
}

impl From<InterpreterTask> for InterpreterTaskView {
    fn from(t: InterpreterTask) -> Self {
        Self {
            time: t.at.with_timezone(&t.location.timezone).fixed_offset(),
            location: t.location.slug.to_string(),
            location_name: t.location.name,
            language: t.language,
            source: if t.ticket.is_some() {
                "ticket"
            } else {
                "booking"
            },
            ticket: t.ticket.map(|n| n.to_string()),
        }
    }
}

/// The interpreters citizens asked for on a day, booking or at the kiosk (planners and
/// administrators): the language is personal data, shown to staff only.
#[utoipa::path(get, path = "/api/v1/interpreter-tasks", tag = "planning", params(TasksQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [InterpreterTaskView]), (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such location"),
        (status = 422, description = "a missing or bad date, named in `errors`")))]
pub async fn tasks(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<TasksQuery>,
) -> AppResult<web::Json<Vec<InterpreterTaskView>>> {
    session.require(&[Role::Planner, Role::Admin])?;
    let TasksQuery { date, location } = query.into_inner();
    let raw = date.ok_or_else(|| AppError::invalid_field("date", "is required (YYYY-MM-DD)"))?;
    let day = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map_err(|_| {
        AppError::invalid_field("date", format!("'{raw}' is not a date YYYY-MM-DD"))
    })?;
    let tasks = blocking::run(&state, move |conn| {
        interpreter_tasks::on_day(conn, location.as_deref(), day)
    })
    .await?;
    Ok(web::Json(tasks.into_iter().map(Into::into).collect()))
}
