//! The citizens' waitlist pages: the form (reached from the time step when no time suits),
//! its confirmation, the page behind the offer mail's link where the held time is claimed,
//! and leaving the list. Plain forms, no JavaScript; personal data only in POST bodies.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::booking_pages::carried::Carried;
use super::forms::TokenForm;
use super::lang::{self, LangQuery};
use super::page::render;
use super::paths::{ReferencePath, TokenQuery};
use super::{blocking, form_guard, input, links, receipt};
use crate::app::visit::{self, Details, VisitAsked};
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

/// What the form waits for: one errand by its slug, as the links carry it, or a visit in the
/// form's hidden fields (its needs are personal data, never in a URL).
enum Waited {
    Errand(String),
    Visit(Carried),
}

impl Waited {
    fn asked(&self) -> AppResult<VisitAsked> {
        match self {
            Self::Errand(slug) => Ok(VisitAsked::one(slug.clone())),
            Self::Visit(carried) => carried.asked(),
        }
    }

    fn of_form(f: &JoinForm) -> Self {
        match &f.services {
            Some(services) => Self::Visit(Carried {
                services: services.clone(),
                needs: f.needs.clone().unwrap_or_default(),
                interpreter_language: f.interpreter_language.clone().unwrap_or_default(),
            }),
            None => Self::Errand(f.service.clone().unwrap_or_default()),
        }
    }
}

async fn form_page(
    state: &AppState,
    lang: Language,
    location: &str,
    waited: Waited,
    filled: Filled<'_>,
) -> AppResult<HttpResponse> {
    let (l, asked) = (location.to_owned(), waited.asked()?);
    let now = state.clock.now();
    let (place, visit, offered) = blocking::run(state, move |conn| {
        let place = catalogue::location(conn, &l)?;
        let visit = visit::resolve(conn, &place, &asked, Details::Required)?;
        let offered = visit::offered_needs(conn, &place)?;
        Ok((place, visit, offered))
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
    let first = &visit.lines[0].service.spec;
    let (carried, back) = match &waited {
        Waited::Errand(_) => (
            None,
            format!(
                "/book?location={}&service={}&lang={}",
                place.slug,
                first.slug,
                lang.code()
            ),
        ),
        Waited::Visit(carried) => (
            Some(carried.clone()),
            format!("/book/visit?location={}&lang={}", place.slug, lang.code()),
        ),
    };
    let mut page = render(
        "waitlist.html",
        context! { lang, step => "form", location => place.name.clone(),
        location_slug => place.slug.to_string(), service => visit::errand_names(&visit.lines, lang),
        needs => visit::need_names(&visit.needs, &offered, lang), carried,
        service_slug => first.slug.to_string(), from => from.to_string(), to => to.to_string(),
        min => today.to_string(), name => filled.name, email => filled.email,
        problem => filled.problem, form_token => form_token.clone(), back },
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
    form_page(&state, lang, &q.location, Waited::Errand(q.service), filled).await
}

/// `POST /waitlist/visit`: the form to join the waitlist for a visit of several errands or
/// with needs, carried from the booking pages in the body.
#[utoipa::path(post, path = "/waitlist/visit", tag = "pages",
    request_body(content = JoinForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The form to join the waitlist for the whole visit", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such location"),
        (status = 422, description = "the visit carried is not one offered here",
            content((super::problem::Problem = "application/problem+json")))))]
pub async fn visit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<JoinForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    form_guard::check(&req, &f.form_token)?;
    let lang = lang::of_form(f.lang.as_deref(), lang);
    let filled = Filled {
        from: f.from.as_deref().and_then(|d| d.parse().ok()),
        to: f.to.as_deref().and_then(|d| d.parse().ok()),
        name: "",
        email: "",
        problem: None,
    };
    form_page(&state, lang, &f.location, Waited::of_form(&f), filled).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct JoinForm {
    location: String,
    /// The errand, for one errand alone.
    service: Option<String>,
    /// A visit's errands instead (`pas:2,sundhedskort:1`), its needs by kind and the
    /// interpreter's language, as the booking pages carry them.
    services: Option<String>,
    needs: Option<String>,
    interpreter_language: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
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
    let day = |d: &Option<String>| d.as_deref().and_then(|d| d.parse().ok());
    let (Some(from), Some(to)) = (day(&f.from), day(&f.to)) else {
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
    let visit = match Waited::of_form(f).asked() {
        Ok(visit) => visit,
        Err(other) => return Ok(Err(other)),
    };
    Ok(Ok(waitlist::JoinRequest {
        location: f.location.clone(),
        visit,
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
        from: f.from.as_deref().and_then(|d| d.parse().ok()),
        to: f.to.as_deref().and_then(|d| d.parse().ok()),
        name: &f.name,
        email: &f.email,
        problem: Some(problem),
    };
    let mut page = form_page(state, lang, &f.location, Waited::of_form(f), filled).await?;
    *page.status_mut() = status;
    Ok(page)
}

/// The confirmation of joining, with the link to leave.
fn joined_page(lang: Language, joined: &waitlist::Joined) -> AppResult<HttpResponse> {
    render(
        "waitlist.html",
        context! { lang, step => "joined", reference => joined.reference,
        service => visit::errand_names(&joined.visit.lines, lang), location => joined.location.name,
        needs => visit::need_names(&joined.visit.needs, &joined.offered_needs, lang),
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
        service => visit::errand_names(&offer.visit.lines, lang), location => offer.location.name.clone(),
        needs => visit::need_names(&offer.visit.needs, &offer.offered_needs, lang),
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
    let (token, lang) = form.into_inner().checked(&req, lang)?;
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
    let (token, lang) = form.into_inner().checked(&req, lang)?;
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
