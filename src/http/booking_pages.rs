//! The citizens' booking pages: location → errand → day → time → details → confirmation,
//! and the manage page behind the link in the confirmation. Plain forms, no JavaScript;
//! personal data only in POST bodies, never in a URL.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::input;
use super::pages::render;
use super::{blocking, form_guard};
use crate::app::booking::{self, BookingRequest};
use crate::app::{catalogue, AppState};
use crate::domain::booking::{AppointmentStatus, Citizen, Language};
use crate::domain::organisation::{Location, Service};
use crate::error::{AppError, AppResult};

/// How many days ahead the day step offers.
const DAYS_SHOWN: i64 = 14;

/// Which step of booking: the query holds what was chosen so far.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct Step {
    #[param(example = "raadhuset")]
    location: Option<String>,
    #[param(example = "pas")]
    service: Option<String>,
    day: Option<NaiveDate>,
    lang: Option<String>,
}

pub(super) fn lang_of(lang: Option<&str>) -> &'static str {
    if lang == Some("en") {
        "en"
    } else {
        "da"
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    detail: Option<String>,
    link: Option<String>,
    bookable: bool,
}

pub(super) fn local(at: DateTime<Utc>, zone: Tz, format: &str) -> String {
    at.with_timezone(&zone).format(format).to_string()
}

pub(super) fn service_name(service: &Service, lang: &str) -> String {
    if lang == "en" {
        service.spec.name_en.clone()
    } else {
        service.spec.name_da.clone()
    }
}

/// `GET /book`: each step a page of links or one form, chosen by what the query holds.
#[utoipa::path(get, path = "/book", tag = "pages", params(Step),
    responses((status = 200, description = "The step's page", content_type = "text/html", body = String),
        (status = 404, description = "no such location or errand"),
        (status = 422, description = "an errand that cannot be booked, or a day outside the booking window")))]
pub async fn book(state: web::Data<AppState>, step: web::Query<Step>) -> AppResult<HttpResponse> {
    let step = step.into_inner();
    let lang = lang_of(step.lang.as_deref());
    let now = state.clock.now();
    match (step.location, step.service, step.day) {
        (None, _, _) => {
            let locations = blocking(&state, catalogue::locations).await?;
            let choices: Vec<Choice> = locations
                .into_iter()
                .map(|l| Choice {
                    link: Some(format!("/book?location={}&lang={lang}", l.slug)),
                    value: l.slug.to_string(),
                    label: l.name,
                    detail: Some(l.address),
                    bookable: true,
                })
                .collect();
            render("book.html", context! { lang, step => "location", choices })
        }
        (Some(location), None, _) => {
            let (place, services) = blocking(&state, move |conn| {
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
                    label: service_name(s, lang),
                    detail: s.spec.self_service_url.clone(),
                    link: Some(format!(
                        "/book?location={}&service={}&lang={lang}",
                        place.slug, s.spec.slug
                    )),
                    bookable: s.spec.booking.takes_bookings(),
                })
                .collect();
            render(
                "book.html",
                context! { lang, step => "service", location => place.name, choices },
            )
        }
        (Some(location), Some(service), day) => {
            times_page(&state, lang, &location, &service, day, now, None).await
        }
    }
}

/// The day step (no day yet) or the time-and-details step.
async fn times_page(
    state: &AppState,
    lang: &'static str,
    location: &str,
    service: &str,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
    problem: Option<String>,
) -> AppResult<HttpResponse> {
    let (l, s) = (location.to_owned(), service.to_owned());
    let (place, errand, slots) = blocking(state, move |conn| {
        let place = catalogue::location(conn, &l)?;
        let errand = catalogue::services(conn, &l)?
            .into_iter()
            .find(|x| x.spec.slug.as_str() == s)
            .ok_or_else(|| AppError::not_found(format!("'{s}' is not offered here")))?;
        let today = now.with_timezone(&place.timezone).date_naive();
        let (from, to) = match day {
            Some(day) => (day, day),
            None => (today, today + Duration::days(DAYS_SHOWN - 1)),
        };
        let (_, slots) = booking::slots(conn, &l, &s, from, to, now)?;
        Ok((place, errand, slots))
    })
    .await?;
    let zone = place.timezone;
    let base = format!(
        "/book?location={}&service={}&lang={lang}",
        place.slug, errand.spec.slug
    );
    let name = service_name(&errand, lang);
    match day {
        None => {
            let mut days: Vec<Choice> = Vec::new();
            for slot in &slots {
                let date = slot.start.date_naive();
                if days.last().map(|d| d.value.as_str()) != Some(&date.to_string()) {
                    days.push(Choice {
                        value: date.to_string(),
                        label: date.format("%d.%m.%Y").to_string(),
                        detail: None,
                        link: Some(format!("{base}&day={date}")),
                        bookable: true,
                    });
                }
            }
            render(
                "book.html",
                context! { lang, step => "day", location => place.name, service => name,
                location_slug => place.slug.to_string(), service_slug => errand.spec.slug.to_string(),
                choices => days, back => format!("/book?location={}&lang={lang}", place.slug) },
            )
        }
        Some(day) => {
            let times: Vec<Choice> = slots
                .iter()
                .map(|s| Choice {
                    value: s.start.to_rfc3339(),
                    label: s.start.format("%H:%M").to_string(),
                    detail: None,
                    link: None,
                    bookable: true,
                })
                .collect();
            let form_token = form_guard::token();
            let mut page = render(
                "book.html",
                context! { lang, step => "time", location => place.name, location_slug => place.slug.to_string(),
                service => name, service_slug => errand.spec.slug.to_string(),
                day => day.format("%d.%m.%Y").to_string(), day_iso => day.to_string(), choices => times,
                form_token => form_token.clone(), problem, back => base,
                zone => zone.name() },
            )?;
            form_guard::attach(&mut page, &form_token)?;
            Ok(page)
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BookingForm {
    location: String,
    service: String,
    #[serde(default)]
    start: Option<String>,
    name: String,
    email: String,
    #[serde(default)]
    phone: Option<String>,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /book`: books and shows the confirmation; a taken time or a mistake in the form
/// shows the times again with what to do.
#[utoipa::path(post, path = "/book", tag = "pages", request_body(content = BookingForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The confirmation", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such location or errand"),
        (status = 422, description = "the times again with what to do: a taken time, a mistake in the details",
            content((String = "text/html"), (super::problem::Problem = "application/problem+json"))),
        (status = 429, description = "the times again: too many bookings from this address or e-mail", content_type = "text/html", body = String)))]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<BookingForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    form_guard::check(&req, &form.form_token)?;
    let lang = lang_of(form.lang.as_deref());
    let now = state.clock.now();
    let chosen = form
        .start
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    // The chosen time carries the location's offset, so its date is the local day.
    let day = chosen.map(|s| s.date_naive());
    let start = chosen.map(|s| s.with_timezone(&Utc));
    let retry_as = |status: StatusCode, problem: String| {
        let state = state.clone();
        let (location, service) = (form.location.clone(), form.service.clone());
        async move {
            let mut page =
                times_page(&state, lang, &location, &service, day, now, Some(problem)).await?;
            *page.status_mut() = status;
            Ok::<_, AppError>(page)
        }
    };
    let retry = |problem: String| retry_as(StatusCode::UNPROCESSABLE_ENTITY, problem);
    let Some(start) = start else {
        return retry(choose_a_time(lang).into()).await;
    };
    let citizen = match Citizen::parse(&form.name, &form.email, form.phone.as_deref()) {
        Ok(citizen) => citizen,
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            return retry(text.join(" ")).await;
        }
    };
    let from = req.peer_addr().map(|peer| peer.ip());
    // Over the limit, the citizen sees the times again with why, not an error document.
    match state.limits.check_booking(from, &citizen.email, now) {
        Err(AppError::RateLimited { detail: reason, .. }) => {
            return retry_as(StatusCode::TOO_MANY_REQUESTS, reason).await
        }
        other => other?,
    }
    let request = BookingRequest {
        location: form.location.clone(),
        service: form.service.clone(),
        start,
        citizen,
        language: if lang == "en" {
            Language::En
        } else {
            Language::Da
        },
    };
    match blocking(&state, move |conn| booking::book(conn, &request, now)).await {
        Ok(booked) => {
            let manage = format!("/appointments/{}?token={}", booked.reference, booked.token);
            let zone = booked.location.timezone;
            render(
                "booked.html",
                context! { lang, reference => booked.reference.clone(),
                service => service_name(&booked.service, lang),
                location => booked.location.name.clone(), address => booked.location.address.clone(),
                when => local(booked.start, zone, "%d.%m.%Y %H:%M"),
                bring => bring(&booked.service, lang), manage,
                ics => format!("/api/v1/appointments/{}/calendar.ics?token={}", booked.reference, booked.token) },
            )
        }
        Err(AppError::Conflict { detail, .. }) => retry(detail).await,
        Err(AppError::Unprocessable { detail, .. }) => retry(detail).await,
        Err(other) => Err(other),
    }
}

fn choose_a_time(lang: &str) -> &'static str {
    if lang == "en" {
        "Please choose a time."
    } else {
        "Vælg venligst et tidspunkt."
    }
}

pub(super) fn bring(service: &Service, lang: &str) -> Option<String> {
    if lang == "en" {
        service.spec.what_to_bring_en.clone()
    } else {
        service.spec.what_to_bring_da.clone()
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ManageQuery {
    token: String,
    lang: Option<String>,
}

/// `GET /appointments/{reference}?token=`: the booking, with cancel and calendar.
#[utoipa::path(get, path = "/appointments/{reference}", tag = "pages",
    params(super::booking::ReferencePath, ManageQuery),
    responses((status = 200, description = "The booking, with cancel, move and the calendar file", content_type = "text/html", body = String),
        (status = 404, description = "no appointment with that reference and token")))]
pub async fn manage(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ManageQuery>,
) -> AppResult<HttpResponse> {
    let ManageQuery { token, lang } = query.into_inner();
    let lang = lang_of(lang.as_deref());
    let reference = reference.into_inner();
    let (r, t) = (reference.clone(), token.clone());
    let managed = blocking(&state, move |conn| booking::get(conn, &r, &t)).await?;
    manage_page(
        lang,
        &managed.location,
        &managed.service,
        &managed.record,
        &token,
    )
}

fn manage_page(
    lang: &'static str,
    location: &Location,
    service: &Service,
    record: &crate::store::appointments::AppointmentRecord,
    token: &str,
) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let status: &'static str = record.status.into();
    let mut page = render(
        "appointment.html",
        context! { lang, reference => record.reference.clone(), token, status,
        active => record.status == AppointmentStatus::Booked,
        service => service_name(service, lang), location => location.name.clone(),
        address => location.address.clone(),
        when => local(record.starts_at, location.timezone, "%d.%m.%Y %H:%M"),
        bring => bring(service, lang), form_token => form_token.clone(),
        ics => format!("/api/v1/appointments/{}/calendar.ics?token={token}", record.reference) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

/// A page form that acts on something its token opens: cancelling a booking, claiming or
/// leaving a waitlist offer.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenForm {
    pub(super) token: String,
    pub(super) form_token: String,
    #[serde(default)]
    pub(super) lang: Option<String>,
}

/// `POST /appointments/{reference}/cancel`: cancels and shows the booking as cancelled.
#[utoipa::path(post, path = "/appointments/{reference}/cancel", tag = "pages",
    params(super::booking::ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The booking, cancelled", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "cancelled already, or its time has begun")))]
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    form: input::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let TokenForm {
        token,
        form_token,
        lang,
    } = form.into_inner();
    form_guard::check(&req, &form_token)?;
    let lang = lang_of(lang.as_deref());
    let now = state.clock.now();
    let reference = reference.into_inner();
    let t = token.clone();
    let waitlist = state.waitlist;
    let managed = blocking(&state, move |conn| {
        booking::cancel(conn, &reference, &t, &waitlist, now)
    })
    .await?;
    manage_page(
        lang,
        &managed.location,
        &managed.service,
        &managed.record,
        &token,
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MoveQuery {
    token: String,
    day: Option<NaiveDate>,
    lang: Option<String>,
}

/// `GET /appointments/{reference}/move?token=[&day=]`: a new day, then a new time.
#[utoipa::path(get, path = "/appointments/{reference}/move", tag = "pages",
    params(super::booking::ReferencePath, MoveQuery),
    responses((status = 200, description = "New days, or the times of the chosen day", content_type = "text/html", body = String),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 422, description = "a day outside the booking window")))]
pub async fn move_page(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<MoveQuery>,
) -> AppResult<HttpResponse> {
    let MoveQuery { token, day, lang } = query.into_inner();
    let lang = lang_of(lang.as_deref());
    let now = state.clock.now();
    let reference = reference.into_inner();
    let (r, t) = (reference.clone(), token.clone());
    let (managed, slots) = blocking(&state, move |conn| {
        let managed = booking::get(conn, &r, &t)?;
        let today = now.with_timezone(&managed.location.timezone).date_naive();
        let (from, to) = match day {
            Some(day) => (day, day),
            None => (today, today + Duration::days(DAYS_SHOWN - 1)),
        };
        let (_, slots) = booking::slots(
            conn,
            managed.location.slug.as_str(),
            managed.service.spec.slug.as_str(),
            from,
            to,
            now,
        )?;
        Ok((managed, slots))
    })
    .await?;
    let base = format!("/appointments/{reference}/move?token={token}&lang={lang}");
    let mut days: Vec<String> = slots
        .iter()
        .map(|s| s.start.date_naive().to_string())
        .collect();
    days.dedup();
    let days: Vec<Choice> = days
        .into_iter()
        .map(|d| Choice {
            link: Some(format!("{base}&day={d}")),
            label: NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
            value: d,
            detail: None,
            bookable: true,
        })
        .collect();
    let times: Vec<Choice> = slots
        .iter()
        .map(|s| Choice {
            value: s.start.to_rfc3339(),
            label: s.start.format("%H:%M").to_string(),
            detail: None,
            link: None,
            bookable: true,
        })
        .collect();
    let form_token = form_guard::token();
    let mut page = render(
        "move.html",
        context! { lang, reference, token, day => day.map(|d| d.format("%d.%m.%Y").to_string()),
        days, times, form_token => form_token.clone(),
        service => service_name(&managed.service, lang), location => managed.location.name.clone(),
        when => local(managed.record.starts_at, managed.location.timezone, "%d.%m.%Y %H:%M"),
        zone => managed.location.timezone.name() },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveForm {
    token: String,
    start: String,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /appointments/{reference}/move`: moves the booking and shows it.
#[utoipa::path(post, path = "/appointments/{reference}/move", tag = "pages",
    params(super::booking::ReferencePath), request_body(content = MoveForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The booking at its new time", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "the time is taken, or the booking cannot be moved any more"),
        (status = 422, description = "no time chosen, or one that is not offered")))]
pub async fn move_to(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    form: input::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let MoveForm {
        token,
        start,
        form_token,
        lang,
    } = form.into_inner();
    form_guard::check(&req, &form_token)?;
    let lang = lang_of(lang.as_deref());
    let start = DateTime::parse_from_rfc3339(&start)
        .map_err(|_| AppError::invalid_field("start", choose_a_time(lang)))?
        .with_timezone(&Utc);
    let now = state.clock.now();
    let reference = reference.into_inner();
    let t = token.clone();
    let waitlist = state.waitlist;
    let managed = blocking(&state, move |conn| {
        booking::reschedule(conn, &reference, &t, start, &waitlist, now)
    })
    .await?;
    manage_page(
        lang,
        &managed.location,
        &managed.service,
        &managed.record,
        &token,
    )
}
