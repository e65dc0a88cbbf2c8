//! `GET /book`: each step a page of links or one form, chosen by what the query holds so
//! far — a place, then an errand, then a day.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::choice::{self, Choice};
use super::times::{self, Typed};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::error::AppResult;
use crate::http::lang::LangQuery;
use crate::http::{blocking, page};

/// Which step of booking: the query holds what was chosen so far.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct Step {
    #[param(example = "raadhuset")]
    location: Option<String>,
    #[param(example = "pas")]
    service: Option<String>,
    day: Option<NaiveDate>,
}

/// `GET /book`: each step a page of links or one form, chosen by what the query holds.
#[utoipa::path(get, path = "/book", tag = "pages", params(Step, LangQuery),
    responses((status = 200, description = "The step's page", content_type = "text/html", body = String),
        (status = 404, description = "no such location or errand"),
        (status = 422, description = "an errand that cannot be booked, or a day outside the booking window")))]
pub async fn book(
    state: web::Data<AppState>,
    req: HttpRequest,
    step: web::Query<Step>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let Step {
        location,
        service,
        day,
    } = step.into_inner();
    match (location, service) {
        (None, _) => places(&state, lang).await,
        (Some(location), None) => errands(&state, lang, location).await,
        (Some(location), Some(service)) => {
            let typed = Typed {
                form_key: super::form_key::of(&req),
                ..Typed::default()
            };
            times::page(&state, lang, &location, &service, day, typed).await
        }
    }
}

async fn places(state: &AppState, lang: Language) -> AppResult<HttpResponse> {
    let locations = blocking::run(state, catalogue::locations).await?;
    let choices: Vec<Choice> = locations
        .into_iter()
        .map(|l| Choice {
            link: Some(format!("/book?location={}&lang={}", l.slug, lang.code())),
            value: l.slug.to_string(),
            label: l.name,
            detail: Some(l.address),
            bookable: true,
            note: None,
        })
        .collect();
    let back = format!("/?lang={}", lang.code());
    page::render(
        "book.html",
        context! { lang, step => "location", choices, back },
    )
}

async fn errands(state: &AppState, lang: Language, location: String) -> AppResult<HttpResponse> {
    let (place, services) = blocking::run(state, move |conn| {
        Ok((
            catalogue::location(conn, &location)?,
            catalogue::services(conn, &location)?,
        ))
    })
    .await?;
    let choices: Vec<Choice> = services
        .iter()
        .map(|s| Choice {
            value: s.spec.slug.to_string(),
            label: s.spec.name(lang).to_owned(),
            detail: s.spec.self_service_url.clone(),
            link: Some(format!(
                "/book?location={}&service={}&lang={}",
                place.slug,
                s.spec.slug,
                lang.code()
            )),
            bookable: s.spec.booking.takes_bookings(),
            note: Some(choice::errand_note(lang, &s.spec)),
        })
        .collect();
    page::render(
        "book.html",
        context! { lang, step => "service", location => place.name, choices,
        visit_link => format!("/book/visit?location={}&lang={}", place.slug, lang.code()),
        back => format!("/book?lang={}", lang.code()) },
    )
}
