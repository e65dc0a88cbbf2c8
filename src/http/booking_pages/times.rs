//! The day step (no day chosen yet) and the time-and-details step of booking, for one
//! errand or for a visit of several; the latter is also what a refused booking shows again,
//! with why.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use chrono::{Duration, NaiveDate};
use minijinja::context;

use super::carried::Carried;
use super::choice::{self, DAYS_SHOWN};
use crate::app::{booking, catalogue, visit, AppState};
use crate::domain::booking::Language;
use crate::domain::meeting;
use crate::domain::organisation::Location;
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
    pub feedback_opt_in: bool,
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
    let shown = Shown {
        errands: errand.spec.name(lang).to_owned(),
        texts: errand.spec.rules.reminder_channels.sms,
        phone_needed: meeting::needs_phone(&errand.spec),
        at_desk: errand.spec.channel.served_at_desk(),
        carry: Carry::Errand(errand.spec.slug.to_string()),
        place,
    };
    match day {
        None => day_step(lang, &shown, &slots),
        Some(day) => time_step(lang, &shown, day, &slots, typed),
    }
}

/// The place, the visit and its free times: on `day`, or the next [`DAYS_SHOWN`] days.
pub async fn visit_page(
    state: &AppState,
    lang: Language,
    location: &str,
    carried: Carried,
    day: Option<NaiveDate>,
    typed: Typed,
) -> AppResult<HttpResponse> {
    let (l, asked) = (location.to_owned(), carried.asked()?);
    let now = state.clock.now();
    let (place, visit, slots) = blocking::run(state, move |conn| {
        let place = catalogue::location(conn, &l)?;
        let today = now.with_timezone(&place.timezone).date_naive();
        let (from, to) = day.map_or((today, today + Duration::days(DAYS_SHOWN - 1)), |d| (d, d));
        booking::visit_times(conn, &l, &asked, from, to, now)
    })
    .await?;
    let shown = Shown {
        errands: visit::errand_names(&visit.lines, lang),
        texts: visit.lines[0].service.spec.rules.reminder_channels.sms,
        phone_needed: visit
            .lines
            .iter()
            .any(|l| meeting::needs_phone(&l.service.spec)),
        at_desk: (visit.lines.iter()).all(|l| l.service.spec.channel.served_at_desk()),
        carry: Carry::Visit(carried),
        place,
    };
    match day {
        None => day_step(lang, &shown, &slots),
        Some(day) => time_step(lang, &shown, day, &slots, typed),
    }
}

/// What is being booked, as the day and time steps show and carry it.
struct Shown {
    place: Location,
    /// The errands by name: `2 × Pas, Sundhedskort`.
    errands: String,
    /// Whether the leading errand sends text messages.
    texts: bool,
    /// Whether the office calls the citizen for a phone meeting, at the number given.
    phone_needed: bool,
    /// Whether the visit is at a desk, and so may end with a ticket's feedback question.
    at_desk: bool,
    carry: Carry,
}

/// How the steps carry what is being booked: one errand by its slug in the links, as
/// always; a visit in the forms' hidden fields.
enum Carry {
    Errand(String),
    Visit(Carried),
}

impl Shown {
    /// The day step's address for one errand; `None` for a visit, whose days are buttons.
    fn base(&self, lang: Language) -> Option<String> {
        match &self.carry {
            Carry::Errand(slug) => Some(format!(
                "/book?location={}&service={slug}&lang={}",
                self.place.slug,
                lang.code()
            )),
            Carry::Visit(_) => None,
        }
    }

    /// Back from the day step: to the errands, or to the visit's form.
    fn back(&self, lang: Language) -> String {
        let path = match self.carry {
            Carry::Errand(_) => "/book",
            Carry::Visit(_) => "/book/visit",
        };
        format!("{path}?location={}&lang={}", self.place.slug, lang.code())
    }

    fn service_slug(&self) -> Option<&str> {
        match &self.carry {
            Carry::Errand(slug) => Some(slug),
            Carry::Visit(_) => None,
        }
    }

    fn carried(&self) -> Option<&Carried> {
        match &self.carry {
            Carry::Errand(_) => None,
            Carry::Visit(carried) => Some(carried),
        }
    }
}

fn day_step(lang: Language, shown: &Shown, slots: &[Slot]) -> AppResult<HttpResponse> {
    let base = shown.base(lang).unwrap_or_default();
    let form_token = form_guard::token();
    let mut page = page::render(
        "book.html",
        context! { lang, step => "day", location => shown.place.name, service => shown.errands,
        location_slug => shown.place.slug.to_string(), service_slug => shown.service_slug(),
        carried => shown.carried(), form_token => form_token.clone(),
        choices => choice::days(lang, slots, &base),
        back => shown.back(lang) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

fn time_step(
    lang: Language,
    shown: &Shown,
    day: NaiveDate,
    slots: &[Slot],
    typed: Typed,
) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let mut page = page::render(
        "book.html",
        context! { lang, step => "time", location => shown.place.name, location_slug => shown.place.slug.to_string(),
        service => shown.errands, service_slug => shown.service_slug(), carried => shown.carried(),
        day => messages::day(lang, day), day_iso => day.to_string(),
        choices => choice::times(slots), form_token => form_token.clone(), form_key => typed.form_key.clone(),
        field_error => field_errors(&typed.problems), problems => typed.problems, name => typed.name, email => typed.email, phone => typed.phone,
        texts => shown.texts, sms_opt_in => typed.sms_opt_in, phone_needed => shown.phone_needed,
        feedback_opt_in => typed.feedback_opt_in, at_desk => shown.at_desk,
        back => shown.base(lang).unwrap_or_else(|| shown.back(lang)), other_day => shown.base(lang) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    super::form_key::keep(&mut page, &typed.form_key)?;
    Ok(page)
}

/// Each field's own text, for the message under it.
pub fn field_errors(problems: &[Mend]) -> BTreeMap<&'static str, String> {
    problems
        .iter()
        .filter_map(|p| p.field.map(|field| (field, p.text.clone())))
        .collect()
}
