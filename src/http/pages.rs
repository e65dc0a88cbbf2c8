//! The browser pages, rendered on the server (they work without JavaScript).

use std::sync::OnceLock;

use actix_web::{web, HttpResponse};
use chrono::Weekday;
use minijinja::{context, Environment};
use serde::Serialize;

use super::blocking;
use super::locations::Lang;
use crate::app::{catalogue, AppState};
use crate::domain::organisation::BookingPolicy;
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
pub(super) fn render(name: &str, ctx: minijinja::Value) -> AppResult<HttpResponse> {
    let html = render_html(name, ctx)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The language a page was asked for in its query (`lang=en`), Danish otherwise.
pub(super) fn lang_of_query(query: &str) -> &'static str {
    let lang = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "lang");
    super::booking_pages::lang_of(lang.as_ref().map(|(_, v)| v.as_ref()))
}

/// The page shown for an error on a page: what went wrong, and the way back.
pub(super) fn error_page(lang: &str, problem: &super::problem::Problem) -> String {
    let ctx = context! { lang, status => problem.status, title => problem.title.clone(),
    detail => problem.detail.clone() };
    render_html("error.html", ctx).unwrap_or_else(|_| {
        // The template is compiled in; should it ever fail, the status still says it all.
        format!("<!doctype html><title>{}</title>", problem.status)
    })
}

/// `GET /language/{lang}`: the language switch on every page. It returns to the page it
/// was clicked on, in the other language, keeping that page's query (the chosen place,
/// errand and day, or the token of a manage page), which a plain `?lang=` link would drop.
/// Only a page of this server is returned to; anything else leads to the front page.
#[utoipa::path(get, path = "/language/{lang}", tag = "pages",
    params(("lang" = String, Path, description = "`da` or `en`", example = "en")),
    responses((status = 303, description = "Back to the referring page of this server in that language, or to the front page",
            headers(("Location" = String))),
        (status = 404, description = "no such language")))]
pub async fn switch_language(
    req: actix_web::HttpRequest,
    lang: web::Path<String>,
) -> AppResult<HttpResponse> {
    let lang = match lang.as_str() {
        "da" | "en" => lang.into_inner(),
        other => {
            return Err(AppError::not_found(format!(
                "there is no language '{other}'; choose da or en"
            )))
        }
    };
    let back = req
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .filter(|url| same_site(url, req.connection_info().host()))
        .and_then(|url| with_lang(&url, &lang))
        .unwrap_or_else(|| format!("/?lang={lang}"));
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, back))
        .finish())
}

fn same_site(url: &url::Url, host: &str) -> bool {
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    matches!(url.scheme(), "http" | "https") && authority == host
}

/// The referring page's path and query, with `lang` set and everything else kept; `None`
/// when the path would leave this server: `//host/…` (and `/\host/…`, which browsers read
/// alike and the URL parser has already turned into `//`) is another site to a browser.
fn with_lang(url: &url::Url, lang: &str) -> Option<String> {
    let path = url.path();
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return None;
    }
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("lang".into(), lang.into()));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Some(format!("{path}?{query}"))
}

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

#[derive(Serialize)]
struct DayView {
    name: &'static str,
    ranges: Vec<String>,
}

#[derive(Serialize)]
struct ServiceLine {
    name: String,
    booking: BookingPolicy,
    policy: &'static str,
    self_service_url: Option<String>,
}

#[derive(Serialize)]
struct ClosureLine {
    from: String,
    to: String,
    reason: String,
}

#[derive(Serialize)]
struct LocationPage {
    slug: String,
    name: String,
    address: String,
    timezone: String,
    days: Vec<DayView>,
    closures: Vec<ClosureLine>,
    services: Vec<ServiceLine>,
}

const DAYS_DA: [&str; 7] = [
    "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn policy_text(policy: BookingPolicy, english: bool) -> &'static str {
    match (policy, english) {
        (BookingPolicy::Required, false) => "Kræver tidsbestilling",
        (BookingPolicy::Required, true) => "Booking required",
        (BookingPolicy::Optional, false) => "Book en tid eller tag et nummer",
        (BookingPolicy::Optional, true) => "Book a time or take a ticket",
        (BookingPolicy::WalkInOnly, false) => "Tag et nummer ved indgangen",
        (BookingPolicy::WalkInOnly, true) => "Take a ticket at the entrance",
    }
}

/// The front page: every location with its hours, closures and errands.
#[utoipa::path(get, path = "/", tag = "pages", params(Lang),
    responses((status = 200, description = "The front page", content_type = "text/html", body = String)))]
pub async fn home(state: web::Data<AppState>, lang: web::Query<Lang>) -> AppResult<HttpResponse> {
    let english = lang.english();
    let now = state.clock.now();
    let pages = blocking(&state, move |conn| {
        let mut pages = Vec::new();
        for l in catalogue::locations(conn)? {
            let closures = catalogue::upcoming_closures(conn, &l, now)?;
            let services = catalogue::services(conn, l.slug.as_str())?;
            let names = if english { DAYS_EN } else { DAYS_DA };
            pages.push(LocationPage {
                days: (0..7u8)
                    .map(|i| {
                        let day = Weekday::try_from(i).expect("0..7");
                        DayView {
                            name: names[i as usize],
                            ranges: l
                                .opening_hours
                                .day(day)
                                .iter()
                                .map(ToString::to_string)
                                .collect(),
                        }
                    })
                    .collect(),
                closures: closures
                    .into_iter()
                    .take(5)
                    .map(|c| ClosureLine {
                        from: c.first.to_string(),
                        to: c.last.to_string(),
                        reason: c.reason,
                    })
                    .collect(),
                services: services
                    .into_iter()
                    .map(|s| ServiceLine {
                        name: if english {
                            s.spec.name_en
                        } else {
                            s.spec.name_da
                        },
                        booking: s.spec.booking,
                        policy: policy_text(s.spec.booking, english),
                        self_service_url: s.spec.self_service_url,
                    })
                    .collect(),
                slug: l.slug.to_string(),
                name: l.name,
                address: l.address,
                timezone: l.timezone.name().to_owned(),
            });
        }
        Ok(pages)
    })
    .await?;
    render(
        "home.html",
        context! { lang => if english { "en" } else { "da" }, locations => pages },
    )
}

/// A ticket's live status page, the target of its QR code: no personal data.
#[utoipa::path(get, path = "/tickets/{id}", tag = "pages", params(super::desks::TicketPath, Lang),
    responses((status = 200, description = "The ticket's status page", content_type = "text/html", body = String),
        (status = 404, description = "no such ticket")))]
pub async fn ticket(
    state: web::Data<AppState>,
    id: web::Path<String>,
    lang: web::Query<Lang>,
) -> AppResult<HttpResponse> {
    let english = lang.english();
    let now = state.clock.now();
    let id = id.into_inner();
    let id_for_page = id.clone();
    let s = blocking(&state, move |conn| {
        crate::app::tickets::status(conn, &id, now)
    })
    .await?;
    let status: &'static str = s.status.into();
    render(
        "ticket.html",
        context! {
            lang => if english { "en" } else { "da" },
            number => s.number.to_string(),
            id => id_for_page,
            location_slug => s.location.slug.to_string(),
            location => s.location.name,
            service => if english { s.service.spec.name_en } else { s.service.spec.name_da },
            status => status,
            status_text => status.replace('_', " "),
            position => s.position,
            wait => s.estimated_wait_minutes,
            desk => s.desk,
        },
    )
}
