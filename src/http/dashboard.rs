//! `/staff/dashboard`: the KPI report for planners as a page, a day, a week or a month
//! (or any period) against the one before it; the view module lays it out.

use actix_web::{web, HttpResponse};
use chrono::Duration;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::dashboard_view::{View, ERRANDS_PER_HOUR_GOAL};
use super::lang::LangQuery;
use super::page::render;
use super::session::StaffPage;
use super::staff_layout;
use crate::app::kpi::{self, REPORT_ROLES};
use crate::app::{catalogue, queue_alerts, AppState};
use crate::domain::booking::Language;
use crate::domain::kpi::{Period, Span, FIRST_LINE_TARGET_MINUTES, SPECIALIST_TARGET_MINUTES};
use crate::domain::organisation::parse_choice;
use crate::error::{AppError, AppResult};
use crate::messages::{self, number};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DashboardQuery {
    /// First local date (YYYY-MM-DD); when given, the period runs from it to `to` instead
    /// of `span`. Empty, as a cleared date field sends it, is the same as left out.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    from: Option<String>,
    /// Last local date (YYYY-MM-DD), included; today when left out or empty.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    to: Option<String>,
    /// `day`, `week` or `month` (the default): the period that ends with `to`.
    span: Option<String>,
    #[param(example = "raadhuset")]
    location: Option<String>,
}

/// `GET /staff/dashboard`: the sign-in form for a browser without a session, 403 for staff
/// without the planner or admin role.
#[utoipa::path(get, path = "/staff/dashboard", tag = "pages", params(DashboardQuery, LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The KPI dashboard", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form", headers(("Location" = String))),
        (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "a bad date, period or location")))]
pub async fn dashboard(
    state: web::Data<AppState>,
    session: StaffPage,
    query: web::Query<DashboardQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    session.require(REPORT_ROLES)?;
    let (now, costs, query) = (state.clock.now(), state.costs, query.into_inner());
    let (period, span) = period(&query, now.date_naive())?;
    let chosen = query.location.clone();
    let (dashboard, locations, alerts) = blocking::run(&state, move |conn| {
        let dashboard = kpi::dashboard(conn, period, chosen.as_deref(), costs, now)?;
        let locations = catalogue::locations(conn)?;
        let alerts = alerts(conn, &locations, chosen.as_deref(), lang)?;
        Ok((dashboard, locations, alerts))
    })
    .await?;
    let places = places(locations, query.location.as_deref());
    let chrome = staff_layout::chrome(&session, lang);
    let view = View::of(&dashboard, lang);
    page(
        lang,
        chrome,
        (period, span),
        query.location,
        places,
        (view, alerts),
    )
}

/// The period asked for: `from`–`to` when `from` is given, else the span ending with `to`.
fn period(query: &DashboardQuery, today: chrono::NaiveDate) -> AppResult<(Period, Option<Span>)> {
    if query.from.as_deref().is_some_and(|f| !f.is_empty()) {
        let period = kpi::parse_period(query.from.as_deref(), query.to.as_deref())?;
        return Ok((period, None));
    }
    let span: Span = match query.span.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => parse_choice(raw).map_err(|e| AppError::invalid_field("span", e))?,
        None => Span::Month,
    };
    let to = match query.to.as_deref().filter(|t| !t.is_empty()) {
        Some(_) => kpi::parse_day("to", query.to.as_deref())?,
        None => today,
    };
    Ok((Period::ending(span, to), Some(span)))
}

/// The live queue alerts standing now at the chosen location (or every one), each as the
/// sentence the console shows too.
fn alerts(
    conn: &mut crate::store::DbConnection,
    locations: &[crate::domain::organisation::Location],
    chosen: Option<&str>,
    lang: Language,
) -> AppResult<Vec<StandingAlert>> {
    let mut standing = Vec::new();
    for location in locations
        .iter()
        .filter(|l| chosen.is_none_or(|c| c == l.slug.as_str()))
    {
        for alert in queue_alerts::standing_at(conn, location, lang)? {
            let text = match (alert.arrived, alert.expected_arrivals) {
                (Some(arrived), Some(expected)) => messages::text_with(
                    lang,
                    "queue_alert.js_surge",
                    &[
                        ("arrived", &arrived.to_string()),
                        ("errand", &alert.name),
                        ("expected", &expected.to_string()),
                    ],
                ),
                _ => messages::text_with(
                    lang,
                    "queue_alert.js_open_one_more",
                    &[
                        ("waiting", &alert.waiting.to_string()),
                        ("errand", &alert.name),
                        ("minutes", &alert.expected_wait_minutes.to_string()),
                    ],
                ),
            };
            standing.push(StandingAlert {
                location: location.name.clone(),
                text,
            });
        }
    }
    Ok(standing)
}

#[derive(Serialize)]
struct StandingAlert {
    location: String,
    text: String,
}

fn places(
    locations: Vec<crate::domain::organisation::Location>,
    chosen: Option<&str>,
) -> Vec<Place> {
    locations
        .into_iter()
        .map(|l| Place {
            selected: chosen == Some(l.slug.as_str()),
            slug: l.slug.to_string(),
            name: l.name,
        })
        .collect()
}

fn page(
    lang: Language,
    staff: minijinja::Value,
    (period, span): (Period, Option<Span>),
    location: Option<String>,
    places: Vec<Place>,
    (view, alerts): (View, Vec<StandingAlert>),
) -> AppResult<HttpResponse> {
    let previous = period.previous();
    render(
        "dashboard.html",
        context! {
            lang => lang,
            staff => staff,
            page => "dashboard",
            from => period.from.to_string(),
            to => period.to.to_string(),
            previous_from => previous.from.to_string(),
            previous_to => previous.to.to_string(),
            day_before => (period.to - Duration::days(1)).to_string(),
            span => span.map(<&'static str>::from),
            location => location.unwrap_or_default(),
            places => places,
            view => view,
            alerts => alerts,
            first_line_target => number(FIRST_LINE_TARGET_MINUTES, lang),
            specialist_target => number(SPECIALIST_TARGET_MINUTES, lang),
            errands_goal => number(ERRANDS_PER_HOUR_GOAL, lang),
        },
    )
}

#[derive(Serialize)]
struct Place {
    slug: String,
    name: String,
    selected: bool,
}
