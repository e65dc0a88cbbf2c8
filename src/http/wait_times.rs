//! The open waiting times: the JSON anyone may fetch (cacheable for a few seconds, from any
//! origin) and the page `/ventetid` that a municipality links from its website.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use minijinja::context;

use super::blocking;
use super::lang::LangQuery;
use super::page::render;
use crate::app::wait_times::{self, WaitTimes};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::error::AppResult;

/// How long a client or proxy may keep an answer: the queue moves by the minute.
const MAX_AGE: &str = "public, max-age=30";

/// How often the page fetches itself again, in seconds.
const REFRESH_SECONDS: u32 = 60;

/// The people waiting and the estimated wait per location and errand now, and yesterday's
/// median wait per hour: aggregates only, no sign-in, any origin.
#[utoipa::path(get, path = "/api/v1/open/wait-times", tag = "citizens", params(LangQuery),
    responses((status = 200, body = WaitTimes, headers(
        ("Cache-Control" = String, description = "public, max-age=30"),
        ("Access-Control-Allow-Origin" = String, description = "*")))))]
pub async fn api(state: web::Data<AppState>, lang: Language) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let times = blocking::run(&state, move |conn| wait_times::current(conn, lang, now)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, MAX_AGE))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(times))
}

/// The waiting times as a page that refreshes itself (its first render needs no script).
#[utoipa::path(get, path = "/ventetid", tag = "pages", params(LangQuery),
    responses((status = 200, description = "The waiting times page", content_type = "text/html", body = String)))]
pub async fn page(state: web::Data<AppState>, lang: Language) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let times = blocking::run(&state, move |conn| wait_times::current(conn, lang, now)).await?;
    let locations: Vec<_> = times
        .locations
        .iter()
        .map(|l| {
            let yesterday: Vec<_> = l
                .yesterday_median_wait_by_hour
                .iter()
                .map(|h| {
                    context! {
                        from => format!("{:02}:00", h.hour),
                        to => format!("{:02}:00", (h.hour + 1) % 24),
                        minutes => h.median_wait_minutes.round() as u32,
                    }
                })
                .collect();
            context! {
                location => l.location,
                name => l.name,
                as_of => times.generated_at.with_timezone(&l.timezone).format("%H:%M").to_string(),
                services => l.services,
                yesterday,
            }
        })
        .collect();
    render(
        "wait_times.html",
        context! {
            lang,
            locations,
            refresh_seconds => REFRESH_SECONDS,
        },
    )
}
