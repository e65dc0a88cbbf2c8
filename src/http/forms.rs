//! The page forms that more than one page posts.

use serde::Deserialize;

/// A page form that acts on something its token opens: cancelling a booking, claiming or
/// leaving a waitlist offer.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenForm {
    pub token: String,
    pub form_token: String,
    #[serde(default)]
    pub lang: Option<String>,
}
