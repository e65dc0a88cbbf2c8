//! Passwords every staff user has to do with: set one from a mailed link (no session), and
//! change one's own.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::session::StaffSession;
use super::{blocking, input};
use crate::app::{password_links, AppState};
use crate::error::AppResult;

/// A new password, typed twice.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPassword {
    /// At least 10 characters.
    pub password: String,
    pub password_again: String,
}

/// A password-set link by its token, as mailed.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LinkPath {
    #[param(example = "0f3c…")]
    pub token: String,
}

/// Set a password with a mailed link, without signing in; the link works once.
#[utoipa::path(post, path = "/api/v1/password-links/{token}", tag = "staff", params(LinkPath), request_body = NewPassword,
    responses((status = 204, description = "the password is set; sign in with it"),
        (status = 404, description = "no such link"),
        (status = 409, description = "the link has been used or has expired, or the account is deactivated"),
        (status = 422, description = "the password is too short, or typed differently twice")))]
pub async fn set_password_by_link(
    state: web::Data<AppState>,
    path: web::Path<LinkPath>,
    body: input::Json<NewPassword>,
) -> AppResult<HttpResponse> {
    let NewPassword {
        password,
        password_again,
    } = body.into_inner();
    let (token, now) = (path.into_inner().token, state.clock.now());
    blocking::run(&state, move |conn| {
        password_links::set_by_link(conn, &token, &password, Some(&password_again), now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One's own new password, after the current one.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
    pub password_again: String,
}

/// Change one's own password; one's other sessions end.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "staff", request_body = PasswordChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 204, description = "the password is changed"),
        (status = 422, description = "the current password is wrong, or the new one too short or typed differently twice")))]
pub async fn change_password(
    state: web::Data<AppState>,
    session: StaffSession,
    body: input::Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    let PasswordChange {
        current_password,
        password,
        password_again,
    } = body.into_inner();
    let now = state.clock.now();
    let token = session.token.clone();
    let user = session.user;
    blocking::run(&state, move |conn| {
        password_links::change_own(
            conn,
            &user,
            &token,
            &current_password,
            &password,
            &password_again,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
