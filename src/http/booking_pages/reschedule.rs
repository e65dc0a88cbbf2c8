//! Moving a booking from its manage page: a new day, then a new time.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use minijinja::context;
use serde::Deserialize;

use super::appointment::{self, View};
use super::choice::{self, DAYS_SHOWN};
use crate::app::booking::{self, Managed};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::slots::Slot;
use crate::error::{AppError, AppResult};
use crate::http::lang::{self, LangQuery};
use crate::http::paths::ReferencePath;
use crate::http::{blocking, form_guard, input, page};
use crate::messages::{self, Said};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MoveQuery {
    token: String,
    day: Option<NaiveDate>,
}

/// `GET /appointments/{reference}/move?token=[&day=]`: a new day, then a new time.
#[utoipa::path(get, path = "/appointments/{reference}/move", tag = "pages",
    params(ReferencePath, MoveQuery, LangQuery),
    responses((status = 200, description = "New days, or the times of the chosen day", content_type = "text/html", body = String),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 422, description = "a day outside the booking window")))]
pub async fn move_page(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<MoveQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let MoveQuery { token, day } = query.into_inner();
    let now = state.clock.now();
    let (r, t) = (reference.into_inner(), token.clone());
    let (managed, slots) = blocking::run(&state, move |conn| {
        let managed = booking::get(conn, &r, &t)?;
        let today = now.with_timezone(&managed.location.timezone).date_naive();
        let (from, to) = day.map_or((today, today + Duration::days(DAYS_SHOWN - 1)), |d| (d, d));
        let slots = booking::move_slots(conn, &managed, from, to, now)?;
        Ok((managed, slots))
    })
    .await?;
    choose_page(lang, &managed, &token, day, &slots)
}

fn choose_page(
    lang: Language,
    managed: &Managed,
    token: &str,
    day: Option<NaiveDate>,
    slots: &[Slot],
) -> AppResult<HttpResponse> {
    let reference = &managed.record.reference;
    let base = format!(
        "/appointments/{reference}/move?token={token}&lang={}",
        lang.code()
    );
    let form_token = form_guard::token();
    let mut page = page::render(
        "move.html",
        context! { lang, reference, token, day => day.map(|d| messages::day(lang, d)),
        days => choice::days(lang, slots, &base), times => choice::times(slots),
        form_token => form_token.clone(),
        service => crate::app::visit::errand_names(&managed.errands, lang), location => managed.location.name,
        when => messages::day_time(lang, managed.record.starts_at, managed.location.timezone),
        },
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
    params(ReferencePath), request_body(content = MoveForm, content_type = "application/x-www-form-urlencoded"),
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
    lang: Language,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    form_guard::check(&req, &form.form_token)?;
    let lang = lang::of_form(form.lang.as_deref(), lang);
    let start = DateTime::parse_from_rfc3339(&form.start)
        .map_err(|_| {
            AppError::invalid_field("start", "choose one of the offered times")
                .saying(Said::key("error.choose_a_time"))
        })?
        .with_timezone(&Utc);
    let (now, waitlist) = (state.clock.now(), state.waitlist);
    let token = form.token.clone();
    let (before, managed) = blocking::run(&state, move |conn| {
        let before = booking::get(conn, &reference, &token)?.record.starts_at;
        let moved = booking::reschedule(conn, &reference, &token, start, &waitlist, now)?;
        Ok((before, moved))
    })
    .await?;
    let view = View::Moved(before);
    appointment::page(lang, &managed, &form.token, &state.public_base, view)
}
