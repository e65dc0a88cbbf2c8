//! The manage page of a booking: what, when and where, with move, cancel and the calendar
//! file while it is still booked. Shown when it is opened, cancelled or moved.

use actix_web::HttpResponse;
use minijinja::context;

use crate::app::booking::Managed;
use crate::domain::booking::{AppointmentStatus, Language};
use crate::error::AppResult;
use crate::http::{form_guard, links, page};
use crate::messages;

/// The manage page of `managed`, opened by `token`.
pub fn page(lang: Language, managed: &Managed, token: &str) -> AppResult<HttpResponse> {
    let Managed {
        record,
        location,
        service,
    } = managed;
    let form_token = form_guard::token();
    let status: &'static str = record.status.into();
    let mut page = page::render(
        "appointment.html",
        context! { lang, reference => record.reference, token, status,
        active => record.status == AppointmentStatus::Booked,
        service => service.spec.name(lang), location => location.name,
        address => location.address,
        when => messages::day_time(lang, record.starts_at, location.timezone),
        bring => service.spec.what_to_bring(lang), form_token => form_token.clone(),
        ics => links::calendar(&record.reference, token) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}
