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
        "citizen.css" => ("text/css", include_str!("../../web/static/citizen.css")),
        "staff.css" => ("text/css", include_str!("../../web/static/staff.css")),
        "dashboard.css" => ("text/css", include_str!("../../web/static/dashboard.css")),
        "admin.css" => ("text/css", include_str!("../../web/static/admin.css")),
        "staff.js" => ("text/javascript", include_str!("../../web/static/staff.js")),
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
        "wait_times.js" => (
            "text/javascript",
            include_str!("../../web/static/wait_times.js"),
        ),
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

/// Det Fælles Designsystem's stylesheet and the fonts it names, as vendored in
/// `web/static/dkfds/` (see its `VENDORED.md`).
#[utoipa::path(get, path = "/static/dkfds/{kind}/{file}", tag = "pages",
    params(("kind" = String, Path, description = "`css` or `fonts`", example = "css"),
        ("file" = String, Path, example = "dkfds.min.css")),
    responses((status = 200, description = "The design system's stylesheet or a font", content(
            (String = "text/css"), (Vec<u8> = "font/woff2"))),
        (status = 404, description = "no such file")))]
pub async fn design_system(path: web::Path<(String, String)>) -> AppResult<HttpResponse> {
    let (kind, file) = path.into_inner();
    let (content_type, body): (&str, &'static [u8]) = match (kind.as_str(), file.as_str()) {
        ("css", "dkfds.min.css") => (
            "text/css; charset=utf-8",
            include_bytes!("../../web/static/dkfds/css/dkfds.min.css"),
        ),
        ("fonts", "IBMPlexSans-Regular.woff2") => (
            "font/woff2",
            include_bytes!("../../web/static/dkfds/fonts/IBMPlexSans-Regular.woff2"),
        ),
        ("fonts", "IBMPlexSans-Italic.woff2") => (
            "font/woff2",
            include_bytes!("../../web/static/dkfds/fonts/IBMPlexSans-Italic.woff2"),
        ),
        ("fonts", "IBMPlexSans-Medium.woff2") => (
            "font/woff2",
            include_bytes!("../../web/static/dkfds/fonts/IBMPlexSans-Medium.woff2"),
        ),
        ("fonts", "IBMPlexSans-SemiBold.woff2") => (
            "font/woff2",
            include_bytes!("../../web/static/dkfds/fonts/IBMPlexSans-SemiBold.woff2"),
        ),
        ("fonts", "IBMPlexSans-Bold.woff2") => (
            "font/woff2",
            include_bytes!("../../web/static/dkfds/fonts/IBMPlexSans-Bold.woff2"),
        ),
        _ => return Err(AppError::not_found("there is no such file")),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(body))
}
