//! The gate of every administration route: a browser without a session is sent to sign in
//! (an API client gets 401), a signed-in user without the admin role gets 403, and a plain
//! form signed in by cookie must carry the session's CSRF token in a hidden field.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::super::session::{signed_in, CsrfFrom, StaffSession};
use super::super::{input, lang, page_path, return_to};
use crate::app::admin::ADMIN_ROLES;
use crate::error::AppError;

/// A signed-in administrator; taking it as a handler's first argument is what makes a route
/// an administration route.
#[derive(Debug, Clone)]
pub struct Admin(pub StaffSession);

impl Deref for Admin {
    type Target = StaffSession;
    fn deref(&self) -> &StaffSession {
        &self.0
    }
}

/// The administrator of `req`, or why not: to sign in (a page), 401 (the API), or 403.
fn admit(
    req: &HttpRequest,
    csrf_from: CsrfFrom,
) -> impl Future<Output = Result<StaffSession, actix_web::Error>> {
    let page = page_path::is_page(req.path());
    let here = return_to::here(req);
    let lang = lang::of_request(req.query_string(), req.headers());
    let session = signed_in(req, csrf_from);
    async move {
        match session.await {
            Ok(Some(session)) => {
                session.require(ADMIN_ROLES)?;
                Ok(session)
            }
            Ok(None) | Err(AppError::Unauthorized(_)) if page => Err(InternalError::from_response(
                "sign in first",
                return_to::to_sign_in(&here, lang),
            )
            .into()),
            Ok(None) => Err(AppError::Unauthorized("sign in first".into()).into()),
            Err(refused) => Err(refused.into()),
        }
    }
}

impl FromRequest for Admin {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let admitted = admit(req, CsrfFrom::Header);
        Box::pin(async move { admitted.await.map(Admin) })
    }
}

/// A form that carries the session's CSRF token in a hidden `csrf_token` field.
pub trait CarriesCsrf {
    fn csrf_token(&self) -> &str;
}

/// An administrator's plain form: the gate first (so that a refused user's body is never
/// read), then the body, whose CSRF token must be the session's.
pub struct AdminForm<T> {
    pub admin: Admin,
    pub form: T,
}

impl<T: DeserializeOwned + CarriesCsrf + 'static> FromRequest for AdminForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admitted = admit(req, CsrfFrom::Form);
        let form = input::Form::<T>::from_request(req, payload);
        Box::pin(async move {
            let session = admitted.await?;
            let form = form.await?.into_inner();
            session.check_form_token(form.csrf_token())?;
            Ok(Self {
                admin: Admin(session),
                form,
            })
        })
    }
}

/// An administrator's JSON body: the gate first, so that a refused user is told so whatever
/// the body holds, then the body.
pub struct AdminJson<T> {
    pub admin: Admin,
    pub body: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for AdminJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admitted = admit(req, CsrfFrom::Header);
        let body = input::Json::<T>::from_request(req, payload);
        Box::pin(async move {
            let session = admitted.await?;
            let body = body.await?.into_inner();
            Ok(Self {
                admin: Admin(session),
                body,
            })
        })
    }
}
