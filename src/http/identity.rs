//! The municipality on every page: its identity read once per page request and handed to
//! the templates (header and footer), its logo file and its brand colour as a stylesheet.
//!
//! Pages are rendered deep inside handlers and in the error middleware; rather than every
//! handler passing the identity down, [`on_pages`] reads it for the request and
//! the page renderer finds it in the request's task. A new import is seen by
//! the next page, without a restart.

use std::future::Future;
use std::sync::Arc;

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::blocking;
use super::links::LOGO_PATH;
use crate::app::{catalogue, demo, AppState};
use crate::domain::municipality::{logo_content_type, map_link, phone_link, Logo, Municipality};
use crate::error::{AppError, AppResult};

/// What the header and footer of a page show of the municipality.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub name: String,
    pub logo_src: String,
    pub phone: String,
    pub phone_link: String,
    pub address: String,
    pub map_link: String,
    pub privacy_notice_url: String,
    pub accessibility_statement_url: String,
}

impl From<&Municipality> for Shown {
    fn from(m: &Municipality) -> Self {
        Self {
            name: m.name.clone(),
            logo_src: match &m.logo {
                Logo::Url(url) => url.clone(),
                Logo::File(_) | Logo::Demo => LOGO_PATH.to_owned(),
            },
            phone: m.phone.clone(),
            phone_link: phone_link(&m.phone),
            address: m.address.clone(),
            map_link: map_link(&m.address),
            privacy_notice_url: m.privacy_notice_url.clone(),
            accessibility_statement_url: m.accessibility_statement_url.clone(),
        }
    }
}

tokio::task_local! {
    static SHOWN: Option<Arc<Shown>>;
}

/// The identity of the page being rendered, when the request is a page's and one has been
/// imported.
pub fn shown() -> Option<Shown> {
    SHOWN
        .try_with(|shown| shown.as_deref().cloned())
        .ok()
        .flatten()
}

/// Middleware: a page request (not the API, assets or the logo itself) runs with the
/// municipality read for it. A database that cannot be read leaves the page without it,
/// rather than without the page.
pub fn on_pages<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>,
{
    let path = req.path();
    let wanted = super::page_path::is_page(path) && !path.starts_with("/municipality/");
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = srv.call(req);
    async move {
        let shown = match state.filter(|_| wanted) {
            Some(state) => match blocking::run(&state, catalogue::municipality).await {
                Ok(found) => found.as_ref().map(|m| Arc::new(Shown::from(m))),
                Err(e) => {
                    tracing::warn!(error = %e, "the municipality could not be read for a page");
                    None
                }
            },
            None => None,
        };
        SHOWN.scope(shown, response).await
    }
}

/// The logo, when the organisation file names a file: read at each request, so that a
/// new logo shows without a restart.
#[utoipa::path(get, path = "/municipality/logo", tag = "pages",
    responses((status = 200, description = "The municipality's logo", content(
            (Vec<u8> = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 404, description = "no logo file is named, or it cannot be read")))]
pub async fn logo(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let found = blocking::run(&state, catalogue::municipality).await?;
    let path = match found.map(|m| m.logo) {
        Some(Logo::File(path)) => path,
        Some(Logo::Demo) => {
            return Ok(HttpResponse::Ok()
                .content_type("image/svg+xml")
                .insert_header(("Cache-Control", "public, max-age=300"))
                .body(demo::LOGO_SVG))
        }
        _ => {
            return Err(AppError::not_found(
                "the municipality's logo is not a file here",
            ))
        }
    };
    let content_type = logo_content_type(&path).unwrap_or("application/octet-stream");
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::Internal(format!("a blocking task failed: {e}")))?
        .map_err(|e| AppError::not_found(format!("the logo file cannot be read: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(bytes))
}

/// The brand colour as a stylesheet for the header band and the primary buttons of the
/// citizens' pages, and the band and the current page's mark of the staff's; empty without
/// one. A stylesheet of its own, since the pages' content policy allows no inline style.
#[utoipa::path(get, path = "/municipality/theme.css", tag = "pages",
    responses((status = 200, description = "The header in the brand colour", content_type = "text/css", body = String)))]
pub async fn theme(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let found = blocking::run(&state, catalogue::municipality).await?;
    let css = found
        .and_then(|m| m.brand_colour)
        .map(|colour| {
            format!(
                ".portal-header {{ background-color: {colour}; border-bottom-color: {colour}; }}\n\
                 .portal-header, .portal-header a, .portal-header a:visited {{ color: #ffffff; }}\n\
                 .button.button-primary, .button.button-primary:hover, .button.button-primary:active \
                 {{ background-color: {colour}; border-color: {colour}; }}\n\
                 .staff-header {{ border-top: 0.8rem solid {colour}; }}\n\
                 .staff-nav a[aria-current=\"page\"] {{ border-bottom-color: {colour}; }}\n"
            )
        })
        .unwrap_or_default();
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(css))
}
