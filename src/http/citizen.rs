//! The citizen's details as a booking or a waitlist request sends them, and their reading
//! behind the booking limit.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::booking::Citizen;
use crate::error::{AppError, AppResult};
use crate::messages::Said;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CitizenInput {
    /// Trimmed, 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200, example = "Jens Jensen")]
    pub name: String,
    #[schema(format = Email, max_length = 254, example = "jens@example.org")]
    pub email: String,
    /// 6 to 15 digits, with spaces, `+`, `-` and parentheses as one likes; blank is none.
    #[schema(
        pattern = r"^\s*(?:[ +()\-]*(?:[0-9][ +()\-]*){6,15})?\s*$",
        example = "+45 12 34 56 78"
    )]
    pub phone: Option<String>,
    /// Text messages (the confirmation, changes and the reminder) to `phone`, where the
    /// errand sends them; `phone` must then be a mobile number (8 digits are Danish).
    #[serde(default)]
    pub sms_opt_in: bool,
    /// One short mail after the visit, asking how it went (never without this).
    #[serde(default)]
    pub feedback_opt_in: bool,
}

/// Counts the request against the booking limit (per client address and per e-mail), then
/// reads the citizen's details; both refusals come before anything is looked up.
pub fn limited_citizen(
    state: &AppState,
    req: &HttpRequest,
    citizen: &CitizenInput,
    now: DateTime<Utc>,
) -> AppResult<Citizen> {
    let from = req.peer_addr().map(|peer| peer.ip());
    state.limits.check_booking(from, &citizen.email, now)?;
    Citizen::parse_with_sms(
        &citizen.name,
        &citizen.email,
        citizen.phone.as_deref(),
        citizen.sms_opt_in,
    )
    .map(|parsed| Citizen {
        feedback_opt_in: citizen.feedback_opt_in,
        ..parsed
    })
    .map_err(|errors| {
        AppError::invalid("the citizen's details are not valid", errors.clone())
            .saying(Said::Fields(errors))
    })
}
