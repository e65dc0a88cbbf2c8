//! A booking just made, as the API answers it: the appointment, its token (shown only
//! now) and the manage link.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::links;
use crate::app::booking;
use crate::domain::booking::AppointmentStatus;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingView {
    pub reference: String,
    /// The secret that proves the right to move or cancel; shown only now.
    pub token: String,
    pub location: String,
    /// The visit's first errand.
    pub service: String,
    /// Every errand of the visit with how many of it, the first first.
    pub services: Vec<super::visit_input::ErrandInput>,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
    pub status: AppointmentStatus,
    /// The manage page, with the token.
    #[schema(format = Uri)]
    pub manage_url: String,
    /// A video errand's meeting link, made from the errand's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uri)]
    pub meeting_url: Option<String>,
}

impl BookingView {
    /// The answer to a booking just made, with the manage link under `public_base`.
    pub fn new(booked: booking::Booked, public_base: &str) -> Self {
        let zone = booked.location.timezone;
        let manage_url = format!(
            "{public_base}{}",
            links::manage(&booked.reference, &booked.token)
        );
        let meeting_url = booked
            .meeting
            .as_ref()
            .and_then(|m| m.url())
            .map(str::to_owned);
        Self {
            reference: booked.reference,
            token: booked.token,
            location: booked.location.slug.to_string(),
            service: booked.service.spec.slug.to_string(),
            services: super::visit_input::listed(&booked.errands),
            start: booked.start.with_timezone(&zone).fixed_offset(),
            end: booked.end.with_timezone(&zone).fixed_offset(),
            status: AppointmentStatus::Booked,
            manage_url,
            meeting_url,
        }
    }
}
