//! The pages' stylesheets, scripts, fonts and icons, compiled into the binary like the
//! templates, so that the server runs from any directory and needs no CDN.

use actix_web::{web, HttpResponse};

use crate::error::{AppError, AppResult};

/// The pages' stylesheet and scripts, compiled into the binary like the templates.
#[utoipa::path(get, path = "/static/{name}", tag = "pages",
    params(("name" = String, Path, example = "skranke.css")),
    responses((status = 200, description = "A stylesheet or a script", content(
            (String = "text/css"), (String = "text/javascript"))),
        (status = 404, description = "no such file")))]
pub async fn asset(name: web::Path<String>) -> AppResult<HttpResponse> {
    let (content_type, body) = match name.as_str() {
        "skranke.css" => ("text/css", include_str!("../../web/static/skranke.css")),
        "ticket.js" => (
            "text/javascript",
            include_str!("../../web/static/ticket.js"),
        ),
        "console.js" => (
            "text/javascript",
            include_str!("../../web/static/console.js"),
        ),
        "display.js" => (
            "text/javascript",
            include_str!("../../web/static/display.js"),
        ),
        "live.js" => ("text/javascript", include_str!("../../web/static/live.js")),
        "planner.js" => (
            "text/javascript",
            include_str!("../../web/static/planner.js"),
        ),
        _ => return Err(AppError::not_found("there is no such file")),
    };
    Ok(HttpResponse::Ok()
        .content_type(format!("{content_type}; charset=utf-8"))
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body))
}
