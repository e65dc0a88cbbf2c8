//! The manage page of a booking: what, when and where, with move, cancel and the calendar
//! file while it is still booked. Shown when it is opened, cancelled or moved.

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use minijinja::context;

use crate::app::booking::Managed;
use crate::app::qr;
use crate::domain::booking::{AppointmentStatus, Language};
use crate::error::AppResult;
use crate::http::{form_guard, links, page};
use crate::messages;

/// How the manage page is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The booking, with move, cancel, the calendar file and the check-in code.
    Manage,
    /// "Are you sure?" before cancelling.
    ConfirmCancel,
    /// Just moved from the time given: the page says from when to when.
    Moved(DateTime<Utc>),
}

/// The manage page of `managed`, opened by `token`; `public_base` starts the address in
/// the check-in QR code, the same as the mail's.
pub fn page(
    lang: Language,
    managed: &Managed,
    token: &str,
    public_base: &str,
    view: View,
) -> AppResult<HttpResponse> {
    let Managed {
        record,
        location,
        service,
        errands,
    } = managed;
    let form_token = form_guard::token();
    let meeting = managed.meeting();
    let status: &'static str = record.status.into();
    let active = record.status == AppointmentStatus::Booked;
    let manage = links::manage(&record.reference, token);
    let check_in = match active {
        true => Some(qr::svg(&format!("{public_base}{manage}"))?),
        false => None,
    };
    let moved_from = match view {
        View::Moved(from) => Some(messages::day_time_where(lang, from, location.timezone)),
        _ => None,
    };
    let mut page = page::render(
        "appointment.html",
        context! { lang, reference => record.reference, token, status, active, check_in,
        confirm_cancel => view == View::ConfirmCancel, moved_from, manage => format!("{manage}&lang={}", lang.code()),
        service => crate::app::visit::errand_names(errands, lang), location => location.name,
        address => location.address,
        when => messages::day_time_where(lang, record.starts_at, location.timezone),
        bring => service.spec.what_to_bring(lang), form_token => form_token.clone(),
        meeting_url => meeting.as_ref().and_then(|m| m.url()),
        phone => meeting.as_ref().and_then(|m| m.number()),
        ics => links::calendar(&record.reference, token) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}
