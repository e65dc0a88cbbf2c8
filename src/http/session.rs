//! Staff sessions over HTTP: a bearer token for API clients, or a cookie for the browser,
//! where every state-changing request must also carry the session's CSRF token.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::error::InternalError;
use actix_web::http::Method;
use actix_web::{web, FromRequest, HttpRequest};

use super::{blocking, lang, return_to};
use crate::app::{auth, AppState};
use crate::domain::organisation::{Role, StaffUser};
use crate::error::{AppError, AppResult};

pub const COOKIE: &str = "skranke_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in staff user; taking it as a handler argument is what makes a route staff-only.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub user: StaffUser,
    /// What the session's pages send back in the CSRF header.
    pub csrf_token: String,
    pub(super) token: String,
    /// Whether the browser's cookie signed it in, which is what a forged form would use.
    pub(super) by_cookie: bool,
}

impl StaffSession {
    /// Refuses with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> AppResult<()> {
        if self.user.has_any_role(roles) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| (*r).into()).collect();
            Err(AppError::Forbidden(format!(
                "this needs the role {}",
                names.join(" or ")
            )))
        }
    }
}

struct Credentials {
    pub(super) token: String,
    by_cookie: bool,
}

fn credentials(req: &HttpRequest) -> Option<Credentials> {
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Credentials {
            token: t.trim().to_owned(),
            by_cookie: false,
        });
    bearer.or_else(|| {
        req.cookie(COOKIE).map(|c| Credentials {
            token: c.value().to_owned(),
            by_cookie: true,
        })
    })
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Where a request signed in by cookie must carry the session's CSRF token when it changes
/// something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CsrfFrom {
    /// The `X-CSRF-Token` header, as the pages' scripts and API clients send it.
    Header,
    /// A plain form's hidden field, which the handler's form extractor checks against
    /// [`StaffSession::check_form_token`] once the body is read.
    Form,
}

/// The signed-in user of `req`, if any: `Ok(None)` when it carries no credentials at all.
pub(super) fn signed_in(
    req: &HttpRequest,
    csrf_from: CsrfFrom,
) -> impl Future<Output = Result<Option<StaffSession>, AppError>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let credentials = credentials(req);
    let needs_csrf = changes_state(req.method()) && csrf_from == CsrfFrom::Header;
    let csrf = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    async move {
        let state = state.ok_or_else(|| AppError::Internal("no application state".into()))?;
        let Some(Credentials { token, by_cookie }) = credentials else {
            return Ok(None);
        };
        let lookup = token.clone();
        let now = state.clock.now();
        let record = blocking::run(&state, move |conn| auth::authenticate(conn, &lookup, now))
            .await?
            .ok_or_else(|| {
                AppError::Unauthorized("the session has ended or is unknown; sign in again".into())
            })?;
        // A browser sends the cookie along with any site's form; only our pages know the CSRF token.
        let csrf_ok =
            csrf.is_some_and(|c| auth::token_hash(&c) == auth::token_hash(&record.csrf_token));
        if by_cookie && needs_csrf && !csrf_ok {
            return Err(AppError::Forbidden(format!(
                "a request signed in by cookie must carry the session's CSRF token in the {CSRF_HEADER} header"
            )));
        }
        Ok(Some(StaffSession {
            user: record.user,
            csrf_token: record.csrf_token,
            token,
            by_cookie,
        }))
    }
}

impl StaffSession {
    /// Refuses a plain form signed in by cookie whose hidden `csrf_token` is not this
    /// session's; a bearer token is no browser's, and no other site can send it.
    pub fn check_form_token(&self, submitted: &str) -> AppResult<()> {
        if !self.by_cookie || auth::token_hash(submitted) == auth::token_hash(&self.csrf_token) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the form has expired or came from elsewhere; open the page again".into(),
            ))
        }
    }
}

impl FromRequest for StaffSession {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let session = signed_in(req, CsrfFrom::Header);
        Box::pin(async move {
            session
                .await?
                .ok_or_else(|| AppError::Unauthorized("sign in first".into()))
        })
    }
}

/// A signed-in staff user on a page: a browser without a session, or with one that has
/// ended, is sent to sign in, to come back to the page it asked for.
#[derive(Debug, Clone)]
pub struct StaffPage(pub StaffSession);

impl Deref for StaffPage {
    type Target = StaffSession;
    fn deref(&self) -> &StaffSession {
        &self.0
    }
}

impl FromRequest for StaffPage {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let session = signed_in(req, CsrfFrom::Header);
        let here = return_to::here(req);
        let lang = lang::of_request(req.query_string(), req.headers());
        Box::pin(async move {
            match session.await {
                Ok(Some(session)) => Ok(Self(session)),
                Ok(None) | Err(_) => Err(InternalError::from_response(
                    "sign in first",
                    return_to::to_sign_in(&here, lang),
                )
                .into()),
            }
        })
    }
}

/// The browser's copy of the session token: HttpOnly, and never sent by other sites.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.public_base.starts_with("https://"))
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(
            auth::SESSION_LENGTH.num_seconds(),
        ))
        .finish()
}
