//! A ticket's live status page, the target of its QR code: no personal data.

use actix_web::{web, HttpResponse};
use minijinja::context;

use super::blocking;
use super::lang::LangQuery;
use super::page::render;
use super::paths::TicketPath;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::error::AppResult;

/// A ticket's live status page, the target of its QR code: no personal data.
#[utoipa::path(get, path = "/tickets/{id}", tag = "pages", params(TicketPath, LangQuery),
    responses((status = 200, description = "The ticket's status page", content_type = "text/html", body = String),
        (status = 404, description = "no such ticket")))]
pub async fn ticket(
    state: web::Data<AppState>,
    id: web::Path<String>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let id = id.into_inner();
    let id_for_page = id.clone();
    let s = blocking::run(&state, move |conn| {
        crate::app::tickets::status(conn, &id, now)
    })
    .await?;
    let status: &'static str = s.status.into();
    render(
        "ticket.html",
        context! {
            lang,
            number => s.number.to_string(),
            id => id_for_page,
            location_slug => s.location.slug.to_string(),
            location => s.location.name,
            service => s.service.spec.name(lang),
            status => status,
            position => s.position,
            wait => s.estimated_wait_minutes,
            desk => s.desk,
        },
    )
}
