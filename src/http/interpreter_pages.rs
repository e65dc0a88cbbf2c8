//! `/staff/planner/interpreters`: the planner's list of a day's interpreter tasks — when,
//! where and which language — to arrange them. A plain form (nothing changes, so a GET)
//! picks the day and perhaps one location; the languages are shown to staff only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::lang::LangQuery;
use super::page::render;
use super::session::StaffPage;
use super::staff_layout::chrome;
use crate::app::interpreter_tasks::{self, InterpreterTask};
use crate::app::plan::PLANNER_ROLES;
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::Location;
use crate::error::AppResult;
use crate::messages::{self, text, text_with};

/// The form's fields; both may be left empty.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct TasksForm {
    /// The local day (`YYYY-MM-DD`); today when left out.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2027-03-30")]
    date: Option<String>,
    /// One location's slug; every location when empty.
    #[param(example = "raadhuset")]
    location: Option<String>,
}

/// One row of the table, as the planner reads it.
#[derive(Serialize)]
struct Row {
    time: String,
    location: String,
    language: String,
    source: String,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// `GET /staff/planner/interpreters`
#[utoipa::path(get, path = "/staff/planner/interpreters", tag = "pages", params(TasksForm, LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The day's interpreter tasks in a table", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form", headers(("Location" = String))),
        (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "the form again with what to mend: a day that is not a date", content_type = "text/html", body = String)))]
pub async fn interpreters(
    state: web::Data<AppState>,
    session: StaffPage,
    lang: Language,
    form: web::Query<TasksForm>,
) -> AppResult<HttpResponse> {
    session.require(PLANNER_ROLES)?;
    let TasksForm { date, location } = form.into_inner();
    let location = location.filter(|l| !l.is_empty());
    let typed = date.unwrap_or_default();
    let day = asked_day(&typed, state.clock.now().date_naive());
    let wanted = location.clone();
    let (places, tasks) = blocking::run(&state, move |conn| {
        let tasks = match day {
            Some(day) => interpreter_tasks::on_day(conn, wanted.as_deref(), day)?,
            None => Vec::new(),
        };
        Ok((catalogue::locations(conn)?, tasks))
    })
    .await?;
    let mut page = render(
        "interpreters.html",
        context! { lang, staff => chrome(&session, lang), page => "planner",
        date => day.map_or(typed, |d| d.to_string()),
        day => day.map(|d| messages::day(lang, d)), date_error => day.is_none(),
        locations => choices(places, location.as_deref()),
        rows => tasks.into_iter().map(|t| row(t, lang)).collect::<Vec<_>>() },
    )?;
    if day.is_none() {
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(page)
}

/// The day the form asks for: today when left empty, none when it is not a date.
fn asked_day(typed: &str, today: NaiveDate) -> Option<NaiveDate> {
    match typed {
        "" => Some(today),
        typed => NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok(),
    }
}

/// Every location to choose from, the one asked for chosen.
fn choices(places: Vec<Location>, chosen: Option<&str>) -> Vec<Choice> {
    places
        .into_iter()
        .map(|l| Choice {
            selected: chosen == Some(l.slug.as_str()),
            value: l.slug.to_string(),
            label: l.name,
        })
        .collect()
}

fn row(task: InterpreterTask, lang: Language) -> Row {
    Row {
        time: task
            .at
            .with_timezone(&task.location.timezone)
            .format("%H:%M")
            .to_string(),
        language: task
            .language
            .unwrap_or_else(|| text(lang, "interpreter_pages.no_language").to_owned()),
        source: match task.ticket {
            Some(number) => text_with(
                lang,
                "interpreter_pages.from_ticket",
                &[("number", &number.to_string())],
            ),
            None => text(lang, "interpreter_pages.from_booking").to_owned(),
        },
        location: task.location.name,
    }
}
