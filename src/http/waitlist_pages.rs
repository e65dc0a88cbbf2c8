//! The citizens' waitlist pages: the form (reached from the time step when no time suits),
//! its confirmation, the page behind the offer mail's link where the held time is claimed,
//! and leaving the list. Plain forms, no JavaScript; personal data only in POST bodies.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::forms::TokenForm;
use super::lang::{self, LangQuery};
use super::page::render;
use super::paths::{ReferencePath, TokenQuery};
use super::{blocking, form_guard, input, links, receipt};
use crate::app::visit::VisitAsked;
use crate::app::{catalogue, waitlist, AppState};
use crate::domain::booking::{Citizen, Language};
use crate::domain::waitlist::HoldStatus;
use crate::error::{AppError, AppResult};
use crate::messages;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FormQuery {
    #[param(example = "raadhuset")]
    location: String,
    #[param(example = "pas")]
    service: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
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
    lang: Language,
    location: &str,
    service: &str,
    filled: Filled<'_>,
) -> AppResult<HttpResponse> {
    let (l, s) = (location.to_owned(), service.to_owned());
    let now = state.clock.now();
    let (place, errand) = blocking::run(state, move |conn| {
        catalogue::location_and_errand(conn, &l, &s)
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
        location_slug => place.slug.to_string(), service => errand.spec.name(lang),
        service_slug => errand.spec.slug.to_string(), from => from.to_string(), to => to.to_string(),
        min => today.to_string(), name => filled.name, email => filled.email,
        problem => filled.problem, form_token => form_token.clone(),
        back => format!("/book?location={}&service={}&lang={}", place.slug, errand.spec.slug, lang.code()) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    *page.status_mut() = status;
    Ok(page)
}

/// `GET /waitlist?location=&service=&from=`: the form to join the waitlist.
#[utoipa::path(get, path = "/waitlist", tag = "pages", params(FormQuery, LangQuery),
    responses((status = 200, description = "The form to join the waitlist", content_type = "text/html", body = String),
        (status = 404, description = "no such location or errand")))]
pub async fn form(
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let q = query.into_inner();
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

/// Why the form is shown again: the status and what to do.
type Refusal = (StatusCode, String);

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
    lang: Language,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    form_guard::check(&req, &f.form_token)?;
    let lang = lang::of_form(f.lang.as_deref(), lang);
    let now = state.clock.now();
    let request = match join_request(&state, &req, &f, lang) {
        Ok(request) => request?,
        Err(refusal) => return again(&state, lang, &f, refusal).await,
    };
    let invalid = |text: String| (StatusCode::UNPROCESSABLE_ENTITY, text);
    match blocking::run(&state, move |conn| waitlist::join(conn, &request, now)).await {
        Ok(joined) => joined_page(lang, &joined),
        Err(refused @ AppError::Conflict { .. }) => {
            let text = refused.said().map_or_else(
                || messages::text(lang, "error.waitlist_refused").to_owned(),
                |said| said.text(lang),
            );
            again(&state, lang, &f, invalid(text)).await
        }
        Err(AppError::Unprocessable { errors, .. }) => {
            let text = messages::field_errors(lang, &errors);
            again(&state, lang, &f, invalid(text)).await
        }
        Err(other) => Err(other),
    }
}

/// The request the form asks for, or why the form is shown again; an error that is not
/// the citizen's to mend is passed on.
fn join_request(
    state: &AppState,
    req: &HttpRequest,
    f: &JoinForm,
    lang: Language,
) -> Result<AppResult<waitlist::JoinRequest>, Refusal> {
    let invalid = |key: &str| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::text(lang, key).to_owned(),
        )
    };
    let (Some(from), Some(to)) = (f.from.parse().ok(), f.to.parse().ok()) else {
        return Err(invalid("error.pick_dates"));
    };
    // Over the limit, the citizen sees the form again with why, not an error document.
    let from_address = req.peer_addr().map(|p| p.ip());
    match state
        .limits
        .check_booking(from_address, &f.email, state.clock.now())
    {
        Err(AppError::RateLimited { .. }) => {
            let reason = messages::text(lang, "error.too_many").to_owned();
            return Err((StatusCode::TOO_MANY_REQUESTS, reason));
        }
        Err(other) => return Ok(Err(other)),
        Ok(()) => {}
    }
    let citizen = Citizen::parse(&f.name, &f.email, None).map_err(|errors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::field_errors(lang, &errors),
        )
    })?;
    Ok(Ok(waitlist::JoinRequest {
        location: f.location.clone(),
        visit: VisitAsked::one(f.service.clone()),
        from,
        to,
        citizen,
        language: lang,
    }))
}

/// The form again, with why and with what was typed.
async fn again(
    state: &AppState,
    lang: Language,
    f: &JoinForm,
    (status, problem): Refusal,
) -> AppResult<HttpResponse> {
    let filled = Filled {
        from: f.from.parse().ok(),
        to: f.to.parse().ok(),
        name: &f.name,
        email: &f.email,
        problem: Some(problem),
    };
    let mut page = form_page(state, lang, &f.location, &f.service, filled).await?;
    *page.status_mut() = status;
    Ok(page)
}

/// The confirmation of joining, with the link to leave.
fn joined_page(lang: Language, joined: &waitlist::Joined) -> AppResult<HttpResponse> {
    render(
        "waitlist.html",
        context! { lang, step => "joined", reference => joined.reference,
        service => joined.service.spec.name(lang), location => joined.location.name,
        from => messages::day(lang, joined.range.from),
        to => messages::day(lang, joined.range.to),
        leave => links::leave_waitlist(&joined.reference, &joined.token) },
    )
}

/// `GET /waitlist/{reference}/offer?token=`: the time held for you, with a button to book it.
#[utoipa::path(get, path = "/waitlist/{reference}/offer", tag = "pages",
    params(ReferencePath, TokenQuery, LangQuery),
    responses((status = 200, description = "The time held, with a button to book it", content_type = "text/html", body = String),
        (status = 404, description = "no entry with that reference and token, or no time held for it")))]
pub async fn offer(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let (r, t) = (reference.into_inner(), token.clone());
    let offer = blocking::run(&state, move |conn| waitlist::offer(conn, &r, &t, now)).await?;
    let zone = offer.location.timezone;
    let status: &'static str = offer.status.into();
    let form_token = form_guard::token();
    let mut page = render(
        "waitlist.html",
        context! { lang, step => "offer", reference => offer.reference.clone(), token, status,
        held => offer.status == HoldStatus::Held,
        service => offer.service.spec.name(lang), location => offer.location.name.clone(),
        address => offer.location.address.clone(),
        when => messages::day_time(lang, offer.start, zone),
        until => messages::day_time(lang, offer.held_until, zone),
        bring => offer.service.spec.what_to_bring(lang), form_token => form_token.clone() },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

/// `POST /waitlist/{reference}/claim`: books the held time and shows the confirmation.
#[utoipa::path(post, path = "/waitlist/{reference}/claim", tag = "pages",
    params(ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The confirmation", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no entry with that reference and token, or no time held for it"),
        (status = 409, description = "the hold has lapsed or was claimed already")))]
pub async fn claim(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    form: input::Form<TokenForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let TokenForm {
        token,
        form_token,
        lang: chosen,
    } = form.into_inner();
    form_guard::check(&req, &form_token)?;
    let lang = lang::of_form(chosen.as_deref(), lang);
    let now = state.clock.now();
    let reference = reference.into_inner();
    let booked = blocking::run(&state, move |conn| {
        waitlist::claim(conn, &reference, &token, now)
    })
    .await?;
    receipt::booked(lang, &booked)
}

/// `GET /waitlist/{reference}/leave?token=`: asks before taking you off the list.
#[utoipa::path(get, path = "/waitlist/{reference}/leave", tag = "pages",
    params(ReferencePath, TokenQuery, LangQuery),
    responses((status = 200, description = "Asks before taking the entry off the list", content_type = "text/html", body = String)))]
pub async fn leave_page(
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
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
    params(ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Off the list", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no entry with that reference and token"),
        (status = 409, description = "the entry has booked its time or left already")))]
pub async fn leave(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    form: input::Form<TokenForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let TokenForm {
        token,
        form_token,
        lang: chosen,
    } = form.into_inner();
    form_guard::check(&req, &form_token)?;
    let lang = lang::of_form(chosen.as_deref(), lang);
    let (now, settings) = (state.clock.now(), state.waitlist);
    let r = reference.into_inner();
    let shown = r.clone();
    blocking::run(&state, move |conn| {
        waitlist::leave(conn, &r, &token, &settings, now)
    })
    .await?;
    render(
        "waitlist.html",
        context! { lang, step => "left", reference => shown },
    )
}
