//! The page forms that more than one page posts.

use actix_web::HttpRequest;
use serde::Deserialize;

use super::{form_guard, lang};
use crate::domain::booking::Language;
use crate::error::AppResult;

/// A page form that acts on something its token opens: cancelling a booking, claiming or
/// leaving a waitlist offer.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenForm {
    pub token: String,
    pub form_token: String,
    #[serde(default)]
    pub lang: Option<String>,
}

impl TokenForm {
    /// The token the form acts with and the language its answer is in, once the form is
    /// known to come from the page served (its form token matches its cookie).
    pub fn checked(self, req: &HttpRequest, page: Language) -> AppResult<(String, Language)> {
        form_guard::check(req, &self.form_token)?;
        Ok((self.token, lang::of_form(self.lang.as_deref(), page)))
    }
}
