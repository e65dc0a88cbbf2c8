//! The citizens' waitlist pages: the form (reached from the time step when no time suits),
//! its confirmation, the page behind the offer mail's link where the held time is claimed,
//! and leaving the list. Plain forms, no JavaScript; personal data only in POST bodies.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::booking_pages::{bring, lang_of, local, service_name, TokenForm};
use super::input;
use super::pages::render;
use super::{blocking, form_guard};
use crate::app::{catalogue, waitlist, AppState};
use crate::domain::booking::{Citizen, Language};
use crate::domain::waitlist::HoldStatus;
use crate::error::{AppError, AppResult};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FormQuery {
    #[param(example = "raadhuset")]
    location: String,
    #[param(example = "pas")]
    service: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    lang: Option<String>,
}

/// What the form shows again after a refusal.
struct Filled<'a> {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    name: &'a str,
    email: &'a str,
    problem: Option<String>,
}

async fn form_page(
    state: &AppState,
    lang: &'static str,
    location: &str,
    service: &str,
    filled: Filled<'_>,
) -> AppResult<HttpResponse> {
    let (l, s) = (location.to_owned(), service.to_owned());
    let now = state.clock.now();
    let (place, errand) = blocking(state, move |conn| {
        let place = catalogue::location(conn, &l)?;
        let errand = catalogue::services(conn, &l)?
            .into_iter()
            .find(|x| x.spec.slug.as_str() == s)
            .ok_or_else(|| AppError::not_found(format!("'{s}' is not offered here")))?;
        Ok((place, errand))
    })
    .await?;
    let today = now.with_timezone(&place.timezone).date_naive();
    let from = filled.from.unwrap_or(today);
    let to = filled.to.unwrap_or(from);
    let form_token = form_guard::token();
    let status = if filled.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut page = render(
        "waitlist.html",
        context! { lang, step => "form", location => place.name.clone(),
        location_slug => place.slug.to_string(), service => service_name(&errand, lang),
        service_slug => errand.spec.slug.to_string(), from => from.to_string(), to => to.to_string(),
        min => today.to_string(), name => filled.name, email => filled.email,
        problem => filled.problem, form_token => form_token.clone(),
        back => format!("/book?location={}&service={}&lang={lang}", place.slug, errand.spec.slug) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    *page.status_mut() = status;
    Ok(page)
}

/// `GET /waitlist?location=&service=&from=`: the form to join the waitlist.
#[utoipa::path(get, path = "/waitlist", tag = "pages", params(FormQuery),
    responses((status = 200, description = "The form to join the waitlist", content_type = "text/html", body = String),
        (status = 404, description = "no such location or errand")))]
pub async fn form(
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
) -> AppResult<HttpResponse> {
    let q = query.into_inner();
    let lang = lang_of(q.lang.as_deref());
    let filled = Filled {
        from: q.from,
        to: q.to,
        name: "",
        email: "",
        problem: None,
    };
    form_page(&state, lang, &q.location, &q.service, filled).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct JoinForm {
    location: String,
    service: String,
    from: String,
    to: String,
    name: String,
    email: String,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

fn language(lang: &str) -> Language {
    if lang == "en" {
        Language::En
    } else {
        Language::Da
    }
}

fn pick_dates(lang: &str) -> String {
    if lang == "en" {
        "Please give the first and last date as on the calendar.".into()
    } else {
        "Angiv venligst første og sidste dato som i kalenderen.".into()
    }
}

/// `POST /waitlist`: joins and shows the confirmation; a mistake shows the form again.
#[utoipa::path(post, path = "/waitlist", tag = "pages", request_body(content = JoinForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The confirmation, or the form again with what to do", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such location or errand"),
        (status = 422, description = "the form again: dates missing; a control character in a field",
            content((String = "text/html"), (super::problem::Problem = "application/problem+json"))),
        (status = 429, description = "the form again: too many requests from this address or e-mail", content_type = "text/html", body = String)))]
pub async fn join(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<JoinForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    form_guard::check(&req, &f.form_token)?;
    let lang = lang_of(f.lang.as_deref());
    let now = state.clock.now();
    let (from, to) = (f.from.parse().ok(), f.to.parse().ok());
    let again = |problem: String| Filled {
        from,
        to,
        name: &f.name,
        email: &f.email,
        problem: Some(problem),
    };
    let (Some(from_date), Some(to_date)) = (from, to) else {
        return form_page(
            &state,
            lang,
            &f.location,
            &f.service,
            again(pick_dates(lang)),
        )
        .await;
    };
    // Over the limit, the citizen sees the form again with why, not an error document.
    let from_address = req.peer_addr().map(|p| p.ip());
    match state.limits.check_booking(from_address, &f.email, now) {
        Err(AppError::RateLimited { detail: reason, .. }) => {
            let mut page = form_page(&state, lang, &f.location, &f.service, again(reason)).await?;
            *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Ok(page);
        }
        other => other?,
    }
    let citizen = match Citizen::parse(&f.name, &f.email, None) {
        Ok(citizen) => citizen,
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            let filled = again(text.join(" "));
            return form_page(&state, lang, &f.location, &f.service, filled).await;
        }
    };
    let request = waitlist::JoinRequest {
        location: f.location.clone(),
        service: f.service.clone(),
        from: from_date,
        to: to_date,
        citizen,
        language: language(lang),
    };
    match blocking(&state, move |conn| waitlist::join(conn, &request, now)).await {
        Ok(joined) => render(
            "waitlist.html",
            context! { lang, step => "joined", reference => joined.reference.clone(),
            service => service_name(&joined.service, lang), location => joined.location.name.clone(),
            from => joined.range.from.format("%d.%m.%Y").to_string(),
            to => joined.range.to.format("%d.%m.%Y").to_string(),
            leave => format!("/waitlist/{}/leave?token={}", joined.reference, joined.token) },
        ),
        Err(AppError::Conflict { detail, .. }) | Err(AppError::Unprocessable { detail, .. }) => {
            form_page(&state, lang, &f.location, &f.service, again(detail)).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TokenQuery {
    token: String,
    lang: Option<String>,
}

/// `GET /waitlist/{reference}/offer?token=`: the time held for you, with a button to book it.
#[utoipa::path(get, path = "/waitlist/{reference}/offer", tag = "pages",
    params(super::booking::ReferencePath, TokenQuery),
    responses((status = 200, description = "The time held, with a button to book it", content_type = "text/html", body = String),
        (status = 404, description = "no entry with that reference and token, or no time held for it")))]
pub async fn offer(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let TokenQuery { token, lang } = query.into_inner();
    let lang = lang_of(lang.as_deref());
    let now = state.clock.now();
    let (r, t) = (reference.into_inner(), token.clone());
    let offer = blocking(&state, move |conn| waitlist::offer(conn, &r, &t, now)).await?;
    let zone = offer.location.timezone;
    let status: &'static str = offer.status.into();
    let form_token = form_guard::token();
    let mut page = render(
        "waitlist.html",
        context! { lang, step => "offer", reference => offer.reference.clone(), token, status,
        held => offer.status == HoldStatus::Held,
        service => service_name(&offer.service, lang), location => offer.location.name.clone(),
        address => offer.location.address.clone(),
        when => local(offer.start, zone, "%d.%m.%Y %H:%M"),
        until => local(offer.held_until, zone, "%d.%m.%Y %H:%M"),
        bring => bring(&offer.service, lang), form_token => form_token.clone() },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

/// `POST /waitlist/{reference}/claim`: books the held time and shows the confirmation.
#[utoipa::path(post, path = "/waitlist/{reference}/claim", tag = "pages",
    params(super::booking::ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The confirmation", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no entry with that reference and token, or no time held for it"),
        (status = 409, description = "the hold has lapsed or was claimed already")))]
pub async fn claim(
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
    let booked = blocking(&state, move |conn| {
        waitlist::claim(conn, &reference, &token, now)
    })
    .await?;
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

/// `GET /waitlist/{reference}/leave?token=`: asks before taking you off the list.
#[utoipa::path(get, path = "/waitlist/{reference}/leave", tag = "pages",
    params(super::booking::ReferencePath, TokenQuery),
    responses((status = 200, description = "Asks before taking the entry off the list", content_type = "text/html", body = String)))]
pub async fn leave_page(
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let TokenQuery { token, lang } = query.into_inner();
    let lang = lang_of(lang.as_deref());
    let form_token = form_guard::token();
    let mut page = render(
        "waitlist.html",
        context! { lang, step => "leave", reference => reference.into_inner(), token,
        form_token => form_token.clone() },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

/// `POST /waitlist/{reference}/leave`: takes you off the list.
#[utoipa::path(post, path = "/waitlist/{reference}/leave", tag = "pages",
    params(super::booking::ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Off the list", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no entry with that reference and token"),
        (status = 409, description = "the entry has booked its time or left already")))]
pub async fn leave(
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
    let (now, settings) = (state.clock.now(), state.waitlist);
    let r = reference.into_inner();
    let shown = r.clone();
    blocking(&state, move |conn| {
        waitlist::leave(conn, &r, &token, &settings, now)
    })
    .await?;
    render(
        "waitlist.html",
        context! { lang, step => "left", reference => shown },
    )
}
