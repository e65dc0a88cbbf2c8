//! The OpenAPI 3 description of every route, generated from the handlers' annotations, and
//! the rules that hold for every operation alike (how errors look, who may call, what any
//! input or the database can answer), applied here once.

use actix_web::web;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use super::problem::PROBLEM_JSON;
use super::{
    audit, booking, booking_pages, dashboard, desks, events, forecast, health, kiosk, locations,
    metrics, pages, planner_pages, problem, reports, rosters, session, staff_pages, tickets,
    waitlist, waitlist_pages,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Skranke", description = "Appointment booking and queue tickets for citizen service desks. \
        Every error is `application/problem+json` (RFC 9457). Staff operations take the session token \
        from `POST /api/v1/auth/login` as `Authorization: Bearer`, or the session cookie together with \
        the session's CSRF token in `X-CSRF-Token` for requests that change something."),
    paths(
        health::health,
        metrics::metrics,
        openapi_json,
        locations::list,
        locations::services,
        locations::desks,
        booking::slots,
        booking::create,
        booking::show,
        booking::cancel,
        booking::reschedule,
        booking::calendar,
        waitlist::join,
        waitlist::leave,
        waitlist::offer,
        waitlist::claim,
        tickets::take,
        kiosk::menu,
        tickets::show,
        tickets::check_in,
        tickets::queue,
        tickets::display,
        events::events,
        desks::open,
        desks::pause,
        desks::close,
        desks::call_next,
        desks::recall,
        desks::start,
        desks::no_show,
        desks::park,
        desks::give_back,
        desks::finish,
        desks::transfer,
        session::login,
        session::logout,
        session::me,
        reports::kpi,
        audit::list,
        forecast::forecast,
        rosters::create,
        rosters::show,
        rosters::publish,
        pages::home,
        pages::asset,
        pages::switch_language,
        pages::ticket,
        booking_pages::book,
        booking_pages::submit,
        booking_pages::manage,
        booking_pages::cancel,
        booking_pages::move_page,
        booking_pages::move_to,
        waitlist_pages::form,
        waitlist_pages::join,
        waitlist_pages::offer,
        waitlist_pages::claim,
        waitlist_pages::leave_page,
        waitlist_pages::leave,
        staff_pages::login_form,
        staff_pages::login,
        staff_pages::console,
        staff_pages::display,
        planner_pages::planner,
        dashboard::dashboard,
    ),
    components(schemas(problem::Problem, crate::domain::FieldError)),
    modifiers(&SecuritySchemes, &CommonResponses),
    tags(
        (name = "citizens", description = "Finding locations and errands, booking, the waitlist"),
        (name = "kiosk", description = "The door, the queue and ticket status"),
        (name = "staff", description = "Signed-in staff"),
        (name = "planning", description = "Forecasts, rosters and reports (planner or admin)"),
        (name = "operations", description = "Health, metrics and this description"),
        (name = "pages", description = "The browser pages: HTML, plain forms"),
    )
)]
pub struct ApiDoc;

/// This description.
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn openapi_json() -> web::Json<utoipa::openapi::OpenApi> {
    web::Json(ApiDoc::openapi())
}

/// The names the annotations' `security(...)` refer to.
pub const BEARER: &str = "bearer";
pub const SESSION_COOKIE: &str = "session";
pub const CSRF: &str = "csrf";
pub const METRICS_TOKEN: &str = "metrics";

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            BEARER,
            bearer("The `token` from `POST /api/v1/auth/login`."),
        );
        components.add_security_scheme(
            SESSION_COOKIE,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                super::session::COOKIE,
                "The session cookie that `POST /api/v1/auth/login` sets (the staff pages).",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token`: needed with the cookie on requests that change something.",
            ))),
        );
        components.add_security_scheme(
            METRICS_TOKEN,
            bearer("`SKRANKE_METRICS_TOKEN`, when the server has one; otherwise none is needed."),
        );
    }
}

/// What any operation can answer because of how it is called, whatever it does.
struct CommonResponses;

/// Operations that answer without the database.
const WITHOUT_DATABASE: &[(&str, &str)] = &[
    ("get", "/api/openapi.json"),
    ("get", "/static/{name}"),
    ("get", "/language/{lang}"),
    ("get", "/staff/login"),
    ("get", "/waitlist/{reference}/leave"),
];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation {
                    let uses_database = !WITHOUT_DATABASE.contains(&(method, path.as_str()));
                    add_common_responses(operation, uses_database);
                }
            }
        }
    }
}

fn add_common_responses(operation: &mut Operation, uses_database: bool) {
    let has_input = operation.request_body.is_some()
        || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let requirements = operation.security.as_deref().unwrap_or_default();
    // An empty requirement makes the others optional: a page then sends the browser to the
    // sign-in form instead.
    let signed_in =
        !requirements.is_empty() && !requirements.contains(&SecurityRequirement::default());
    let none: [&str; 0] = [];
    let cookie_with_csrf = SecurityRequirement::new(SESSION_COOKIE, none).add(CSRF, none);
    let with_csrf = requirements.contains(&cookie_with_csrf);
    let responses = &mut operation.responses.responses;
    let mut ensure = |status: u16, description: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    };
    if has_input {
        ensure(
            400,
            "Malformed: a parameter or the body cannot be read as described.",
        );
    }
    if signed_in {
        ensure(401, "No credentials, or the session has ended.");
    }
    if with_csrf {
        ensure(
            403,
            "Signed in by cookie without the session's CSRF token in `X-CSRF-Token`.",
        );
    }
    if operation.request_body.is_some() {
        ensure(413, "The body is larger than the server accepts.");
    }
    if uses_database {
        ensure(
            503,
            "The database is busy or unreachable; try again shortly.",
        );
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let error = status.parse::<u16>().map_or(true, |status| status >= 400);
        if error && response.content.is_empty() {
            response.content.insert(
                PROBLEM_JSON.to_owned(),
                Content::new(Some(Ref::from_schema_name("Problem"))),
            );
        }
    }
}
