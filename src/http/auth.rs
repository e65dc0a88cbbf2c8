//! Sign-in, sign-out and who is signed in, for API clients and the browser alike.

use actix_web::cookie::Cookie;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::input;
use super::session::{session_cookie, StaffSession, COOKIE};
use crate::app::{auth, AppState};
use crate::domain::organisation::Role;
use crate::error::AppResult;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Use as `Authorization: Bearer TOKEN`; the same token is set as a cookie.
    pub token: String,
    /// Send in the `X-CSRF-Token` header with state-changing requests signed in by cookie.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

/// Sign in.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "staff", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, description = "Signed in; the token is also set as the `skranke_session` cookie"),
        (status = 401, description = "wrong username or password"),
        (status = 422, description = "a field holds a control character"),
        (status = 429, description = "sign-ins for this account or from this address are backed off; see Retry-After")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: input::Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest { username, password } = body.into_inner();
    let now = state.clock.now();
    let client = req.peer_addr().map(|peer| peer.ip());
    let session = blocking::run(&state, move |conn| {
        auth::login(conn, &username, &password, client, now)
    })
    .await?;
    let cookie = session_cookie(&state, session.token.clone());
    Ok(HttpResponse::Ok().cookie(cookie).json(LoginResponse {
        token: session.token,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
        username: session.user.username,
        display_name: session.user.display_name,
        roles: session.user.roles.into_iter().collect(),
    }))
}

/// Sign out: the session's token stops working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "staff", security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 204, description = "signed out; the cookie is removed")))]
pub async fn logout(state: web::Data<AppState>, session: StaffSession) -> AppResult<HttpResponse> {
    let token = session.token;
    blocking::run(&state, move |conn| auth::logout(conn, &token)).await?;
    let mut gone = Cookie::build(COOKIE, "").path("/").finish();
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "staff", security(("bearer" = []), ("session" = [])), responses((status = 200, body = Me)))]
pub async fn me(session: StaffSession) -> web::Json<Me> {
    web::Json(Me {
        username: session.user.username,
        display_name: session.user.display_name,
        roles: session.user.roles.into_iter().collect(),
    })
}
