//! The booking form's key, which makes sending the form twice book once (see
//! [`crate::app::booking_once`]). It is kept in a cookie for the booking pages, so that the
//! form shown again after Back, or in a second tab, carries the same key.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};

use crate::app::auth;
use crate::error::{AppError, AppResult};

const COOKIE: &str = "skranke_booking_form";

/// The key this browser's booking forms carry: the one kept, or a new one.
pub fn of(req: &HttpRequest) -> String {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|key| key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(auth::random_token)
}

/// Keeps the key for the booking pages of this browser session.
pub fn keep(page: &mut HttpResponse, key: &str) -> AppResult<()> {
    let cookie = Cookie::build(COOKIE, key.to_owned())
        .path("/book")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish();
    page.add_cookie(&cookie)
        .map_err(|e| AppError::Internal(format!("setting the booking form's cookie: {e}")))
}
