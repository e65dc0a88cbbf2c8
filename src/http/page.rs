//! The pages' templates, compiled into the binary, and their rendering: a page, or the
//! error page shown for an error on a page.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{context, Environment};

use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};

/// The templates, compiled into the binary so that it runs from any directory.
fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            ("base.html", include_str!("../../web/templates/base.html")),
            ("home.html", include_str!("../../web/templates/home.html")),
            (
                "ticket.html",
                include_str!("../../web/templates/ticket.html"),
            ),
            ("login.html", include_str!("../../web/templates/login.html")),
            ("book.html", include_str!("../../web/templates/book.html")),
            ("move.html", include_str!("../../web/templates/move.html")),
            (
                "waitlist.html",
                include_str!("../../web/templates/waitlist.html"),
            ),
            (
                "booked.html",
                include_str!("../../web/templates/booked.html"),
            ),
            (
                "appointment.html",
                include_str!("../../web/templates/appointment.html"),
            ),
            (
                "console.html",
                include_str!("../../web/templates/console.html"),
            ),
            (
                "display.html",
                include_str!("../../web/templates/display.html"),
            ),
            (
                "dashboard.html",
                include_str!("../../web/templates/dashboard.html"),
            ),
            (
                "planner.html",
                include_str!("../../web/templates/planner.html"),
            ),
            ("error.html", include_str!("../../web/templates/error.html")),
        ] {
            env.add_template(name, source)
                .expect("the built-in templates parse");
        }
        env
    })
}

fn render_html(name: &str, ctx: minijinja::Value) -> AppResult<String> {
    templates()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::Internal(format!("rendering {name}: {e}")))
}

/// A page. Its security headers (the referrer kept to this site, where the language switch
/// reads it; no caching; the content policy) are added to every response in `headers`.
pub fn render(name: &str, ctx: minijinja::Value) -> AppResult<HttpResponse> {
    let html = render_html(name, ctx)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The page shown for an error on a page: what went wrong, and the way back.
pub fn error_page(lang: Language, status: u16, title: &str, detail: &str) -> String {
    let ctx = context! { lang, status, title, detail };
    render_html("error.html", ctx).unwrap_or_else(|_| {
        // The template is compiled in; should it ever fail, the status still says it all.
        format!("<!doctype html><title>{status}</title>")
    })
}

/// `at` in the location's zone, as `format` writes it.
pub fn local_time(at: DateTime<Utc>, zone: Tz, format: &str) -> String {
    at.with_timezone(&zone).format(format).to_string()
}
