//! The confirmation of a booking just made, by the booking form or by claiming the time a
//! waitlist offer held.

use actix_web::HttpResponse;
use minijinja::context;

use super::{links, page};
use crate::app::booking::Booked;
use crate::domain::booking::Language;
use crate::error::AppResult;
use crate::messages;

/// The confirmation page: every errand, when the visit begins and ends, where, what to
/// bring, and the links to manage it.
pub fn booked(lang: Language, booked: &Booked) -> AppResult<HttpResponse> {
    let zone = booked.location.timezone;
    page::render(
        "booked.html",
        context! { lang, reference => booked.reference,
        service => crate::app::visit::errand_names(&booked.errands, lang),
        several => booked.errands.iter().map(|l| l.quantity).sum::<u32>() > 1,
        ends => booked.end.with_timezone(&zone).format("%H:%M").to_string(),
        location => booked.location.name, address => booked.location.address,
        when => messages::day_time_where(lang, booked.start, zone),
        bring => booked.service.spec.what_to_bring(lang),
        meeting_url => booked.meeting.as_ref().and_then(|m| m.url()),
        phone => booked.meeting.as_ref().and_then(|m| m.number()),
        // The manage page keeps the language the booking was made in.
        manage => format!("{}&lang={}", links::manage(&booked.reference, &booked.token), lang.code()),
        ics => links::calendar(&booked.reference, &booked.token) },
    )
}
