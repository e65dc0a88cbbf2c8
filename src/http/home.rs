//! The front page: every location with its hours, closures and errands.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc, Weekday};
use minijinja::context;
use serde::Serialize;

use super::blocking;
use super::lang::LangQuery;
use super::page::render;
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::{BookingPolicy, Location};
use crate::error::AppResult;
use crate::messages;
use crate::store::DbConnection;

#[derive(Serialize)]
struct DayView {
    name: &'static str,
    ranges: Vec<String>,
}

#[derive(Serialize)]
struct ServiceLine {
    name: String,
    booking: BookingPolicy,
    policy: String,
    self_service_url: Option<String>,
}

#[derive(Serialize)]
struct ClosureLine {
    from: String,
    to: String,
    /// The part of each day it closes, for a closure of part of a day.
    part: Option<String>,
    reason: String,
}

#[derive(Serialize)]
struct LocationPage {
    slug: String,
    name: String,
    address: String,
    timezone: String,
    days: Vec<DayView>,
    /// Days it is closed, whole or in part.
    closures: Vec<ClosureLine>,
    /// Periods it keeps shorter hours, apart from the days it is closed: under *Lukket*, a
    /// citizen would read a period that is open as closed.
    reduced: Vec<ClosureLine>,
    services: Vec<ServiceLine>,
}

/// The front page: every location with its hours, closures and errands.
#[utoipa::path(get, path = "/", tag = "pages", params(LangQuery),
    responses((status = 200, description = "The front page", content_type = "text/html", body = String)))]
pub async fn home(state: web::Data<AppState>, lang: Language) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let locations = blocking::run(&state, move |conn| {
        catalogue::locations(conn)?
            .into_iter()
            .map(|l| location_page(conn, l, lang, now))
            .collect::<AppResult<Vec<_>>>()
    })
    .await?;
    render("home.html", context! { lang, locations })
}

/// One location as the front page shows it.
fn location_page(
    conn: &mut DbConnection,
    l: Location,
    lang: Language,
    now: DateTime<Utc>,
) -> AppResult<LocationPage> {
    let closures = catalogue::upcoming_closures(conn, &l, now)?;
    let services = catalogue::services(conn, l.slug.as_str())?;
    let days = (0..7u8)
        .map(|i| Weekday::try_from(i).expect("0..7"))
        .map(|day| DayView {
            name: messages::weekday(lang, day),
            ranges: l
                .opening_hours
                .day(day)
                .iter()
                .map(ToString::to_string)
                .collect(),
        })
        .collect();
    let (reduced, closures): (Vec<_>, Vec<_>) = closures
        .into_iter()
        .take(5)
        .partition(|c| c.opening_hours.is_some());
    let lines = |list: Vec<crate::domain::hours::Closure>| {
        list.into_iter()
            .map(|c| ClosureLine {
                from: messages::day(lang, c.first),
                to: messages::day(lang, c.last),
                part: messages::closed_part(lang, &c),
                reason: c.reason,
            })
            .collect()
    };
    Ok(LocationPage {
        days,
        closures: lines(closures),
        reduced: lines(reduced),
        services: services
            .into_iter()
            .map(|s| ServiceLine {
                name: s.spec.name(lang).to_owned(),
                booking: s.spec.booking,
                policy: messages::text(lang, &format!("policy.{}", s.spec.booking)).to_owned(),
                self_service_url: s.spec.self_service_url,
            })
            .collect(),
        slug: l.slug.to_string(),
        name: l.name,
        address: l.address,
        timezone: l.timezone.name().to_owned(),
    })
}
