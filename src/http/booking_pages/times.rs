//! The day step (no day chosen yet) and the time-and-details step of booking; the latter
//! is also what a refused booking shows again, with why.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use chrono::{Duration, NaiveDate};
use minijinja::context;

use super::choice::{self, DAYS_SHOWN};
use crate::app::{booking, catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::{Location, Service};
use crate::domain::slots::Slot;
use crate::error::AppResult;
use crate::http::{blocking, form_guard, page};
use crate::messages::{self, Mend};

/// What the citizen has typed, shown again when a booking is refused.
#[derive(Default)]
pub struct Typed {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Asked for text messages.
    pub sms_opt_in: bool,
    /// The booking form's key (see [`super::form_key`]).
    pub form_key: String,
    /// Why the booking was refused, in the citizen's language: what to mend.
    pub problems: Vec<Mend>,
}

/// The place, the errand and its free times: on `day`, or the next [`DAYS_SHOWN`] days.
pub async fn page(
    state: &AppState,
    lang: Language,
    location: &str,
    service: &str,
    day: Option<NaiveDate>,
    typed: Typed,
) -> AppResult<HttpResponse> {
    let (l, s) = (location.to_owned(), service.to_owned());
    let now = state.clock.now();
    let (place, errand, slots) = blocking::run(state, move |conn| {
        let (place, errand) = catalogue::location_and_errand(conn, &l, &s)?;
        let today = now.with_timezone(&place.timezone).date_naive();
        let (from, to) = day.map_or((today, today + Duration::days(DAYS_SHOWN - 1)), |d| (d, d));
        let (_, slots) = booking::slots(conn, &l, &s, from, to, now)?;
        Ok((place, errand, slots))
    })
    .await?;
    match day {
        None => day_step(lang, &place, &errand, &slots),
        Some(day) => time_step(lang, &place, &errand, day, &slots, typed),
    }
}

fn base(lang: Language, place: &Location, errand: &Service) -> String {
    format!(
        "/book?location={}&service={}&lang={}",
        place.slug,
        errand.spec.slug,
        lang.code()
    )
}

fn day_step(
    lang: Language,
    place: &Location,
    errand: &Service,
    slots: &[Slot],
) -> AppResult<HttpResponse> {
    page::render(
        "book.html",
        context! { lang, step => "day", location => place.name, service => errand.spec.name(lang),
        location_slug => place.slug.to_string(), service_slug => errand.spec.slug.to_string(),
        choices => choice::days(lang, slots, &base(lang, place, errand)),
        back => format!("/book?location={}&lang={}", place.slug, lang.code()) },
    )
}

fn time_step(
    lang: Language,
    place: &Location,
    errand: &Service,
    day: NaiveDate,
    slots: &[Slot],
    typed: Typed,
) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let mut page = page::render(
        "book.html",
        context! { lang, step => "time", location => place.name, location_slug => place.slug.to_string(),
        service => errand.spec.name(lang), service_slug => errand.spec.slug.to_string(),
        day => messages::day(lang, day), day_iso => day.to_string(),
        choices => choice::times(slots), form_token => form_token.clone(), form_key => typed.form_key.clone(),
        field_error => field_errors(&typed.problems), problems => typed.problems, name => typed.name, email => typed.email, phone => typed.phone,
        texts => errand.spec.rules.reminder_channels.sms, sms_opt_in => typed.sms_opt_in,
        back => base(lang, place, errand) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    super::form_key::keep(&mut page, &typed.form_key)?;
    Ok(page)
}

/// Each field's own text, for the message under it.
fn field_errors(problems: &[Mend]) -> BTreeMap<&'static str, String> {
    problems
        .iter()
        .filter_map(|p| p.field.map(|field| (field, p.text.clone())))
        .collect()
}
