//! The path and query parameters that several resources share, described once for the
//! OpenAPI document: a location, a desk, a ticket, an appointment or waitlist entry, and
//! the manage token that opens them.

use serde::Deserialize;

/// A location by its slug.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LocationPath {
    #[param(example = "raadhuset")]
    pub location: String,
}

/// An errand by its slug.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ErrandPath {
    #[param(example = "pas")]
    pub service: String,
}

/// A desk by its id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DeskPath {
    #[param(example = 1)]
    pub desk: i64,
}

/// A ticket by its public id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TicketPath {
    pub id: String,
}

/// An appointment or a waitlist entry by its public reference.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReferencePath {
    pub reference: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TokenQuery {
    /// The token from the confirmation that opens the booking or the waitlist entry.
    pub token: String,
}
