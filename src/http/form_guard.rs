//! CSRF protection for the pages' plain HTML forms (citizens and the staff sign-in have no
//! session to tie a token to): a random value in a SameSite=Strict cookie and in a hidden
//! field, which another site can neither read nor set (double submit).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};

use crate::app::auth;
use crate::error::{AppError, AppResult};

const COOKIE: &str = "skranke_form";

/// A fresh token for a form; [`attach`] sets its cookie on the page that shows the form.
pub fn token() -> String {
    auth::random_token()
}

/// The token this browser holds already, or a fresh one: for a page that fetches itself
/// again while its form is open (the ticket's live status), whose form would otherwise
/// carry a token that the next fetch replaced.
pub fn kept_token(req: &HttpRequest) -> String {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(token)
}

pub fn attach(page: &mut HttpResponse, token: &str) -> AppResult<()> {
    let cookie = Cookie::build(COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish();
    page.add_cookie(&cookie)
        .map_err(|e| AppError::Internal(format!("setting the form cookie: {e}")))
}

/// Refuses a form whose hidden token does not match its cookie.
pub fn check(req: &HttpRequest, submitted: &str) -> AppResult<()> {
    let matches = req
        .cookie(COOKIE)
        .is_some_and(|c| auth::token_hash(c.value()) == auth::token_hash(submitted));
    if matches {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "the form has expired or came from elsewhere; open the page again".into(),
        ))
    }
}
