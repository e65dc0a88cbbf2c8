//! `/staff/dashboard`: the KPI report for planners as a page, with its charts drawn on
//! the server as inline SVG (nothing to load, readable without JavaScript).

use std::collections::BTreeMap;

use actix_web::http::header::LOCATION;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::figures::{number, percent};
use super::lang::LangQuery;
use super::page::render;
use super::session::StaffSession;
use crate::app::kpi::{self, REPORT_ROLES};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::kpi::{Metrics, Report, FIRST_LINE_TARGET_MINUTES, SPECIALIST_TARGET_MINUTES};
use crate::error::AppResult;

/// The municipalities' goals the charts are drawn against.
const BOOKED_SHARE_GOAL: f64 = 0.5;
const FIRST_CONTACT_GOAL: f64 = 0.5;
const ERRANDS_PER_HOUR_GOAL: f64 = 6.5;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DashboardQuery {
    /// First local date (four weeks before today when left out).
    #[param(format = Date)]
    from: Option<String>,
    /// Last local date, included (today when left out).
    #[param(format = Date)]
    to: Option<String>,
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
    session: Option<StaffSession>,
    query: web::Query<DashboardQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let DashboardQuery { from, to, location } = query.into_inner();
    let Some(session) = session else {
        return Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, format!("/staff/login?lang={}", lang.code())))
            .finish());
    };
    session.require(REPORT_ROLES)?;
    let now = state.clock.now();
    // Without dates: the last four weeks up to today.
    let today = now.date_naive();
    let from = from.unwrap_or_else(|| (today - Duration::days(27)).to_string());
    let to = to.unwrap_or_else(|| today.to_string());
    let period = kpi::parse_period(Some(&from), Some(&to))?;
    let costs = state.costs;
    let chosen = location.clone();
    let (report, locations) = blocking::run(&state, move |conn| {
        let report = kpi::report(conn, period, chosen.as_deref(), costs, now)?;
        Ok((report, catalogue::locations(conn)?))
    })
    .await?;
    let places: Vec<Place> = locations
        .into_iter()
        .map(|l| Place {
            selected: location.as_deref() == Some(l.slug.as_str()),
            slug: l.slug.to_string(),
            name: l.name,
        })
        .collect();
    render(
        "dashboard.html",
        context! {
            lang => lang,
            from => period.from.to_string(),
            to => period.to.to_string(),
            places => places,
            totals => Figures::of(&report.totals, lang),
            departments => report.by_department.iter().map(|d| Row {
                key: d.department.clone(),
                figures: Figures::of(&d.metrics, lang),
            }).collect::<Vec<_>>(),
            services => report.by_service.iter().map(|s| Row {
                key: s.service.clone(),
                figures: Figures::of(&s.metrics, lang),
            }).collect::<Vec<_>>(),
            waits => waits_by_hour(&report, lang),
            booked => booked_by_week(&report, lang),
            resolution => resolution_by_day(&report, lang),
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

#[derive(Serialize)]
struct Row {
    key: String,
    figures: Figures,
}

/// A group's figures as the page prints them ("–" where there is nothing to divide by).
#[derive(Serialize)]
struct Figures {
    tickets: u64,
    appointments: u64,
    wait_mean: String,
    wait_p50: String,
    wait_p80: String,
    wait_p90: String,
    within_target: String,
    service_minutes: String,
    no_show_rate: String,
    cancel_rate: String,
    booked_share: String,
    sent_to_self_service: u64,
    first_contact_resolution: String,
    errands_per_staff_hour: String,
    staff_hours: String,
    cost_total: String,
    usage_share: String,
}

impl Figures {
    fn of(m: &Metrics, lang: Language) -> Self {
        let n = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| number(v, lang));
        let p = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| percent(v, lang));
        Self {
            tickets: m.tickets,
            appointments: m.appointments,
            wait_mean: n(m.wait_minutes.mean),
            wait_p50: n(m.wait_minutes.p50),
            wait_p80: n(m.wait_minutes.p80),
            wait_p90: n(m.wait_minutes.p90),
            within_target: p(m.share_within_target),
            service_minutes: n(m.service_minutes),
            no_show_rate: p(m.no_show_rate),
            cancel_rate: p(m.cancel_rate),
            booked_share: p(m.booked_share),
            sent_to_self_service: m.sent_to_self_service,
            first_contact_resolution: p(m.first_contact_resolution),
            errands_per_staff_hour: n(m.errands_per_staff_hour),
            staff_hours: n(m.staff_hours),
            cost_total: number(m.cost.total, lang),
            usage_share: p(m.usage_share),
        }
    }
}

/// One bar chart, laid out for the template.
#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    bars: Vec<Bar>,
    /// The goal's line: its height and its label.
    target_y: f64,
    target_label: String,
    baseline_y: f64,
    summary: String,
}

#[derive(Serialize)]
struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    label: String,
    value: String,
}

const CHART_WIDTH: u32 = 640;
const CHART_HEIGHT: u32 = 220;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

fn chart(points: Vec<(String, Option<f64>, String)>, target: f64, target_label: String) -> Chart {
    let top = points
        .iter()
        .filter_map(|p| p.1)
        .fold(target, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.15;
    let plot = f64::from(CHART_HEIGHT) - TOP - BOTTOM;
    let y = |v: f64| TOP + plot * (1.0 - v / top);
    let slot = f64::from(CHART_WIDTH) / points.len().max(1) as f64;
    let summary = points
        .iter()
        .map(|(label, _, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = points
        .into_iter()
        .enumerate()
        .map(|(i, (label, v, value))| {
            let v = v.unwrap_or(0.0);
            Bar {
                x: i as f64 * slot + slot * 0.15,
                y: y(v),
                width: slot * 0.7,
                height: plot * v / top,
                label,
                value,
            }
        })
        .collect();
    Chart {
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        bars,
        target_y: y(target),
        target_label,
        baseline_y: TOP + plot,
        summary,
    }
}

fn waits_by_hour(report: &Report, lang: Language) -> Chart {
    let points = report
        .by_hour
        .iter()
        .map(|h| {
            let mean = h.metrics.wait_minutes.mean;
            (
                format!("{:02}", h.hour),
                mean,
                mean.map_or_else(|| "–".into(), |m| format!("{} min", number(m, lang))),
            )
        })
        .collect();
    let label = match lang {
        Language::Da => "mål",
        Language::En => "target",
    };
    chart(
        points,
        FIRST_LINE_TARGET_MINUTES,
        format!("{label} {} min", number(FIRST_LINE_TARGET_MINUTES, lang)),
    )
}

fn booked_by_week(report: &Report, lang: Language) -> Chart {
    let mut weeks: BTreeMap<(i32, u32), (u64, u64)> = BTreeMap::new();
    for d in &report.by_day {
        let week = d.day.iso_week();
        let entry = weeks.entry((week.year(), week.week())).or_default();
        entry.0 += d.metrics.booked_tickets;
        entry.1 += d.metrics.tickets;
    }
    let word = match lang {
        Language::Da => "uge",
        Language::En => "week",
    };
    let points = weeks
        .into_iter()
        .map(|((_, week), (booked, all))| {
            let share = (all > 0).then(|| booked as f64 / all as f64);
            (
                format!("{word} {week}"),
                share,
                share.map_or_else(|| "–".into(), |s| percent(s, lang)),
            )
        })
        .collect();
    let label = match lang {
        Language::Da => "mål",
        Language::En => "goal",
    };
    chart(
        points,
        BOOKED_SHARE_GOAL,
        format!("{label} {}", percent(BOOKED_SHARE_GOAL, lang)),
    )
}

fn resolution_by_day(report: &Report, lang: Language) -> Chart {
    let points = report
        .by_day
        .iter()
        .map(|d| {
            let r = d.metrics.first_contact_resolution;
            (
                day_label(d.day),
                r,
                r.map_or_else(|| "–".into(), |s| percent(s, lang)),
            )
        })
        .collect();
    let label = match lang {
        Language::Da => "mål",
        Language::En => "goal",
    };
    chart(
        points,
        FIRST_CONTACT_GOAL,
        format!("{label} {}", percent(FIRST_CONTACT_GOAL, lang)),
    )
}

fn day_label(day: NaiveDate) -> String {
    day.format("%d-%m").to_string()
}
