//! The planner's page: a roster's chart of forecast, required and planned desks per
//! interval, a form to change the target and plan again, and the publish button. Planning
//! and publishing go through the JSON API with the session's cookie and CSRF token.

use actix_web::http::header::LOCATION;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::figures::percent;
use super::lang::LangQuery;
use super::page::render;
use super::session::StaffSession;
use crate::app::plan::{TargetSpec, PLANNER_ROLES};
use crate::app::{catalogue, rosters, AppState};
use crate::domain::booking::Language;
use crate::domain::roster::publish::DEFAULT_BOOKED_SHARE;
use crate::error::AppResult;
use crate::report::plan_html::{locations, svg_chart, ChartPoint, LEGEND};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RosterQuery {
    /// A stored roster to show.
    roster: Option<i64>,
}

#[derive(Serialize)]
struct LocationChoice {
    slug: String,
    name: String,
    checked: bool,
}

#[derive(Serialize)]
struct Chart {
    name: String,
    svg: String,
}

/// `GET /staff/planner[?roster=ID]`
#[utoipa::path(get, path = "/staff/planner", tag = "pages", params(LangQuery, RosterQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The planner", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form", headers(("Location" = String))),
        (status = 403, description = "not a planner or administrator"),
        (status = 404, description = "no such roster")))]
pub async fn planner(
    state: web::Data<AppState>,
    session: Option<StaffSession>,
    lang: Language,
    query: web::Query<RosterQuery>,
) -> AppResult<HttpResponse> {
    let Some(session) = session else {
        return Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, format!("/staff/login?lang={}", lang.code())))
            .finish());
    };
    session.require(PLANNER_ROLES)?;
    let id = query.roster;
    let (all, roster) = blocking::run(&state, move |conn| {
        let all = catalogue::locations(conn)?;
        let roster = id.map(|id| rosters::get(conn, id)).transpose()?;
        Ok((all, roster))
    })
    .await?;
    let next_monday = {
        let today = state.clock.now().date_naive();
        today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()))
    };
    let mut week = format!(
        "{}-W{:02}",
        next_monday.iso_week().year(),
        next_monday.iso_week().week()
    );
    let (mut kind, mut level, mut within, mut average) = ("service_level", 0.8, 10.0, 4.0);
    let mut charts = Vec::new();
    let mut figures = (String::new(), String::new(), String::new(), 0);
    let mut share = DEFAULT_BOOKED_SHARE;
    if let Some(r) = &roster {
        let from = r.from;
        week = format!("{}-W{:02}", from.iso_week().year(), from.iso_week().week());
        match serde_json::from_value::<TargetSpec>(r.target.clone()) {
            Ok(TargetSpec::ServiceLevel {
                service_level,
                within_minutes,
            }) => {
                (level, within) = (service_level, within_minutes);
            }
            Ok(TargetSpec::AverageWait {
                average_wait_minutes,
            }) => {
                kind = "average_wait";
                average = average_wait_minutes;
            }
            Err(_) => {}
        }
        share = r.booked_share.unwrap_or(share);
        let points: Vec<ChartPoint> = r.intervals.iter().map(ChartPoint::from).collect();
        for slug in locations(&points) {
            let name = all
                .iter()
                .find(|l| &l.slug == slug)
                .map_or_else(|| slug.to_string(), |l| l.name.clone());
            charts.push(Chart {
                name,
                svg: svg_chart(&points, slug),
            });
        }
        let n = r.intervals.len().max(1) as f64;
        figures = (
            percent(
                r.intervals
                    .iter()
                    .filter(|i| i.planned >= i.required)
                    .count() as f64
                    / n,
                lang,
            ),
            percent(
                r.intervals.iter().filter(|i| i.met).count() as f64 / n,
                lang,
            ),
            percent(r.gap, lang),
            r.shifts.len(),
        );
    }
    let choices: Vec<LocationChoice> = all
        .iter()
        .map(|l| LocationChoice {
            slug: l.slug.to_string(),
            name: l.name.clone(),
            checked: roster
                .as_ref()
                .is_none_or(|r| r.locations.contains(&l.slug)),
        })
        .collect();
    render(
        "planner.html",
        context! {
            lang,
            csrf_token => session.csrf_token,
            locations => choices,
            week => week,
            kind => kind,
            service_level => level,
            within_minutes => within,
            average_wait_minutes => average,
            roster => roster.as_ref().map(|r| context! { id => r.id, status => r.status, from => r.from.to_string(), to => r.to.to_string() }),
            covered => figures.0,
            met => figures.1,
            gap => figures.2,
            shifts => figures.3,
            charts => charts,
            legend => LEGEND,
            booked_share => share,
        },
    )
}
