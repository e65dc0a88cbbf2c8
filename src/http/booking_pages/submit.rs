//! `POST /book`: books and shows the confirmation; a taken time or a mistake in the form
//! shows the times again with what to do, and what was typed kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

use super::carried::Carried;
use super::times::{self, Typed};
use crate::app::booking::{self, BookingRequest};
use crate::app::visit::VisitAsked;
use crate::app::{booking_once, AppState};
use crate::domain::booking::{Citizen, Language};
use crate::error::{AppError, AppResult};
use crate::http::{blocking, form_guard, input, lang, receipt};
use crate::messages::{self, Mend, Said};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BookingForm {
    location: String,
    /// The one errand; or the visit's, carried as [`Carried`] fields.
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    services: Option<String>,
    #[serde(default)]
    needs: Option<String>,
    #[serde(default)]
    interpreter_language: Option<String>,
    #[serde(default)]
    start: Option<String>,
    /// The day whose times the form showed, to show again when no time was chosen.
    #[serde(default)]
    day: Option<String>,
    name: String,
    email: String,
    #[serde(default)]
    phone: Option<String>,
    /// The checkbox asking for text messages to `phone`.
    #[serde(default)]
    sms_opt_in: bool,
    /// The checkbox asking for one mail after the visit with its feedback question.
    #[serde(default)]
    feedback_opt_in: bool,
    form_token: String,
    /// Makes sending the form twice book once (see [`super::form_key`]).
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

impl BookingForm {
    /// The visit the form carries, when it is one of several errands or with needs.
    fn carried(&self) -> Option<Carried> {
        self.services.as_ref().map(|services| Carried {
            services: services.clone(),
            needs: self.needs.clone().unwrap_or_default(),
            interpreter_language: self.interpreter_language.clone().unwrap_or_default(),
        })
    }

    /// The visit to book: the carried one, or the one errand; `None` when it names none.
    fn visit(&self) -> Option<AppResult<VisitAsked>> {
        match (self.carried(), &self.service) {
            (Some(carried), _) => Some(carried.asked()),
            (None, Some(service)) => Some(Ok(VisitAsked::one(service.clone()))),
            (None, None) => None,
        }
    }
}

/// Why the times are shown again: the status and what to mend.
type Refusal = (StatusCode, Vec<Mend>);

/// `POST /book`: books and shows the confirmation; a taken time or a mistake in the form
/// shows the times again with what to do.
#[utoipa::path(post, path = "/book", tag = "pages", request_body(content = BookingForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The confirmation", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such location or errand"),
        (status = 422, description = "the times again with what to do: a taken time, a mistake in the details",
            content((String = "text/html"), (crate::http::problem::Problem = "application/problem+json"))),
        (status = 429, description = "the times again: too many bookings from this address or e-mail", content_type = "text/html", body = String)))]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<BookingForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    form_guard::check(&req, &form.form_token)?;
    let lang = lang::of_form(form.lang.as_deref(), lang);
    // The chosen time carries the location's offset, so its date is the local day.
    let chosen = form
        .start
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    let request = match request(&state, &req, &form, lang, chosen) {
        Ok(request) => request?,
        Err(refusal) => return again(&state, lang, form, chosen, refusal).await,
    };
    match book(&state, request, form.idempotency_key.clone()).await {
        Ok(booked) => receipt::booked(lang, &booked),
        Err(error) => {
            let refusal = refusal(lang, error)?;
            again(&state, lang, form, chosen, refusal).await
        }
    }
}

/// Books once per form key; a form without one (sent by an older page) books plainly.
async fn book(
    state: &AppState,
    request: BookingRequest,
    key: Option<String>,
) -> AppResult<booking::Booked> {
    let now = state.clock.now();
    blocking::run(state, move |conn| match key {
        Some(key) => booking_once::book_once(conn, &request, &key, now),
        None => booking::book(conn, &request, now),
    })
    .await
}

/// Why the times are shown again after a refused booking; an error that is not the
/// citizen's to mend is passed on.
fn refusal(lang: Language, error: AppError) -> AppResult<Refusal> {
    // A refused time says why, at the times: too soon, outside the hours, taken, ….
    let about_the_time = match error.said() {
        Some(said @ Said::Text { .. }) => Some(Mend {
            field: Some("start-1"),
            text: said.text(lang),
        }),
        _ => None,
    };
    match error {
        AppError::Conflict { .. } | AppError::Unprocessable { .. } if about_the_time.is_some() => {
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                about_the_time.into_iter().collect(),
            ))
        }
        AppError::Conflict { .. } => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![time_mend(lang, "error.time_taken")],
        )),
        AppError::Unprocessable { errors, .. } => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::mends(lang, &errors),
        )),
        other => Err(other),
    }
}

/// The booking the form asks for, or why the times are shown again; an error that is not
/// the citizen's to mend is passed on.
fn request(
    state: &AppState,
    req: &HttpRequest,
    form: &BookingForm,
    lang: Language,
    chosen: Option<DateTime<FixedOffset>>,
) -> Result<AppResult<BookingRequest>, Refusal> {
    let invalid = |mends: Vec<Mend>| (StatusCode::UNPROCESSABLE_ENTITY, mends);
    let visit = match form.visit() {
        Some(Ok(visit)) => visit,
        Some(Err(AppError::Unprocessable { errors, .. })) => {
            return Err(invalid(messages::mends(lang, &errors)))
        }
        Some(Err(other)) => return Ok(Err(other)),
        None => {
            return Ok(Err(AppError::invalid_field(
                "service",
                "name the errand (service), or the errands of the visit (services)",
            )))
        }
    };
    let start = chosen.ok_or_else(|| invalid(vec![time_mend(lang, "error.choose_a_time")]))?;
    let phone = form.phone.as_deref();
    let citizen = Citizen::parse_with_sms(&form.name, &form.email, phone, form.sms_opt_in)
        .map(|parsed| Citizen {
            feedback_opt_in: form.feedback_opt_in,
            ..parsed
        })
        .map_err(|errors| invalid(messages::mends(lang, &errors)))?;
    let from = req.peer_addr().map(|peer| peer.ip());
    // Over the limit, the citizen sees the times again with why, not an error document.
    match state
        .limits
        .check_booking(from, &citizen.email, state.clock.now())
    {
        Err(AppError::RateLimited { .. }) => Err((
            StatusCode::TOO_MANY_REQUESTS,
            vec![Mend::general(messages::text(lang, "error.too_many"))],
        )),
        Err(other) => Ok(Err(other)),
        Ok(()) => Ok(Ok(BookingRequest {
            location: form.location.clone(),
            visit,
            start: start.with_timezone(&Utc),
            citizen,
            language: lang,
        })),
    }
}

/// The times of the chosen day again, with why and with what was typed.
async fn again(
    state: &AppState,
    lang: Language,
    form: BookingForm,
    chosen: Option<DateTime<FixedOffset>>,
    (status, problems): Refusal,
) -> AppResult<HttpResponse> {
    let carried = form.carried();
    let (location, service) = (form.location, form.service.unwrap_or_default());
    let typed = Typed {
        name: form.name,
        email: form.email,
        phone: form.phone.unwrap_or_default(),
        sms_opt_in: form.sms_opt_in,
        feedback_opt_in: form.feedback_opt_in,
        form_key: form
            .idempotency_key
            .unwrap_or_else(crate::app::auth::random_token),
        problems,
    };
    let day = chosen
        .map(|s| s.date_naive())
        .or_else(|| form.day.as_deref().and_then(|d| d.parse().ok()));
    let mut page = match carried {
        Some(carried) => times::visit_page(state, lang, &location, carried, day, typed).await?,
        None => times::page(state, lang, &location, &service, day, typed).await?,
    };
    *page.status_mut() = status;
    Ok(page)
}

/// What to mend about the chosen time: the first of the times is where to go.
fn time_mend(lang: Language, key: &str) -> Mend {
    Mend {
        field: Some("start-1"),
        text: messages::text(lang, key).to_owned(),
    }
}
