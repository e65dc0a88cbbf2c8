//! The OpenAPI 3 description of every route, generated from the handlers' annotations, and
//! the rules that hold for every operation alike (how errors look, who may call, what any
//! input or the database can answer), applied here once.

use actix_web::web;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Header, ObjectBuilder, Ref, RefOr, Type};
use utoipa::{Modify, OpenApi};

use super::problem::PROBLEM_JSON;
use super::{
    assets, audit, auth, booking, booking_pages, dashboard, desks, events, forecast, health, home,
    kiosk, language_switch, locations, metrics, planner_pages, problem, reports, rosters,
    staff_pages, ticket_page, tickets, waitlist, waitlist_pages,
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
        auth::login,
        auth::logout,
        auth::me,
        reports::kpi,
        audit::list,
        forecast::forecast,
        rosters::create,
        rosters::show,
        rosters::publish,
        home::home,
        assets::asset,
        assets::design_system,
        language_switch::switch_language,
        ticket_page::ticket,
        booking_pages::start::book,
        booking_pages::submit::submit,
        booking_pages::manage::manage,
        booking_pages::manage::cancel,
        booking_pages::reschedule::move_page,
        booking_pages::reschedule::move_to,
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
    modifiers(&SecuritySchemes, &OperationIds, &Links, &CommonResponses),
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
pub async fn openapi_json() -> web::Json<serde_json::Value> {
    web::Json(describe())
}

/// The description as served.
pub fn describe() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    // utoipa 5 writes a link's fields in snake case; OpenAPI spells them in camel case.
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            let responses = operation["responses"].as_object_mut();
            for response in responses.into_iter().flat_map(|r| r.values_mut()) {
                let links = response.get_mut("links").and_then(|l| l.as_object_mut());
                for link in links.into_iter().flat_map(|l| l.values_mut()) {
                    if let Some(link) = link.as_object_mut() {
                        for (snake, camel) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(value) = link.remove(snake) {
                                link.insert(camel.to_owned(), value);
                            }
                        }
                    }
                }
            }
        }
    }
    doc
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

/// The operations of a path, by method.
fn operations_of(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 5] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
    ]
}

/// An operation's id, from its method and path: unique, where the handlers' names are not
/// (`show`, `claim`, `login` serve the API and the pages alike).
pub fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c| c == '{' || c == '}')
                .replace(['-', '.'], "_")
        })
        .collect();
    if words.is_empty() {
        format!("{method}_index")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

struct OperationIds;

impl Modify for OperationIds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in operations_of(item) {
                if let Some(operation) = operation {
                    operation.operation_id = Some(operation_id(method, path));
                }
            }
        }
    }
}

/// Where the identifiers in an answer lead: (method, path, status) of the answer, then the
/// operations it opens, each with where its parameters come from.
type Follow = (
    (&'static str, &'static str, &'static str),
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const BY_REFERENCE_AND_TOKEN: &[(&str, &str)] = &[
    ("reference", "$response.body#/reference"),
    ("token", "$response.body#/token"),
];
const BY_TICKET_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const A_BOOKING: &[(&str, &str)] = &[
    ("get", "/api/v1/appointments/{reference}"),
    ("delete", "/api/v1/appointments/{reference}"),
    ("post", "/api/v1/appointments/{reference}/reschedule"),
    ("get", "/api/v1/appointments/{reference}/calendar.ics"),
    ("post", "/api/v1/appointments/{reference}/check-in"),
    ("get", "/appointments/{reference}"),
    ("get", "/appointments/{reference}/move"),
];
const A_TICKET: &[(&str, &str)] = &[("get", "/api/v1/tickets/{id}"), ("get", "/tickets/{id}")];
const A_CALLED_TICKET: &[(&str, &str)] = &[
    ("post", "/api/v1/tickets/{id}/recall"),
    ("post", "/api/v1/tickets/{id}/start"),
    ("post", "/api/v1/tickets/{id}/no-show"),
    ("post", "/api/v1/tickets/{id}/park"),
    ("post", "/api/v1/tickets/{id}/return"),
    ("post", "/api/v1/tickets/{id}/finish"),
    ("post", "/api/v1/tickets/{id}/transfer"),
];

const FOLLOWS: &[Follow] = &[
    (
        ("post", "/api/v1/appointments", "201"),
        A_BOOKING,
        BY_REFERENCE_AND_TOKEN,
    ),
    (
        ("post", "/api/v1/waitlist/{reference}/claim", "201"),
        A_BOOKING,
        BY_REFERENCE_AND_TOKEN,
    ),
    (("post", "/api/v1/tickets", "201"), A_TICKET, BY_TICKET_ID),
    (
        ("post", "/api/v1/tickets", "201"),
        A_CALLED_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/appointments/{reference}/check-in", "201"),
        A_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/desks/{desk}/call-next", "200"),
        A_CALLED_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/waitlist", "201"),
        &[
            ("delete", "/api/v1/waitlist/{reference}"),
            ("get", "/api/v1/waitlist/{reference}/offer"),
            ("post", "/api/v1/waitlist/{reference}/claim"),
            ("get", "/waitlist/{reference}/offer"),
            ("get", "/waitlist/{reference}/leave"),
        ],
        BY_REFERENCE_AND_TOKEN,
    ),
    (
        ("post", "/api/v1/rosters", "201"),
        &[
            ("get", "/api/v1/rosters/{id}"),
            ("post", "/api/v1/rosters/{id}/publish"),
        ],
        BY_TICKET_ID,
    ),
];

/// OpenAPI links from each answer that names something to the operations on it, so that a
/// client, or a fuzzer's stateful phase, can follow them.
struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for ((method, path, status), targets, parameters) in FOLLOWS {
            let response = openapi
                .paths
                .paths
                .get_mut(*path)
                .and_then(|item| {
                    operations_of(item)
                        .into_iter()
                        .find(|(m, _)| m == method)
                        .and_then(|(_, operation)| operation.as_mut())
                })
                .and_then(|operation| operation.responses.responses.get_mut(*status));
            let Some(RefOr::T(response)) = response else {
                panic!("{method} {path} {status} is not described, yet links lead from it");
            };
            for (to_method, to_path) in *targets {
                let id = operation_id(to_method, to_path);
                let link = parameters
                    .iter()
                    .filter(|(name, _)| {
                        to_path.contains(&format!("{{{name}}}")) || *name == "token"
                    })
                    .fold(
                        LinkBuilder::new().operation_id(&id),
                        |link, (name, value)| link.parameter(*name, *value),
                    );
                response.links.insert(id, RefOr::T(link.build()));
            }
        }
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
            for (method, operation) in operations_of(item) {
                if let Some(operation) = operation {
                    let uses_database = !WITHOUT_DATABASE.contains(&(method, path.as_str()));
                    add_common_responses(operation, uses_database);
                }
            }
        }
    }
}

fn add_common_responses(operation: &mut Operation, uses_database: bool) {
    let parameters = operation.parameters.clone().unwrap_or_default();
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
    // Text is checked for control characters before any handler sees it (`http::input`).
    if parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Path)
    {
        ensure(
            404,
            "Nothing at this address: an unknown identifier, or a control character in the path.",
        );
    }
    if operation.request_body.is_some()
        || parameters
            .iter()
            .any(|p| p.parameter_in == ParameterIn::Query)
    {
        ensure(
            422,
            "A control character in a text field or parameter, named in `errors`.",
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
        if status == "401" {
            response.headers.insert(
                "WWW-Authenticate".to_owned(),
                Header::new(ObjectBuilder::new().schema_type(Type::String)),
            );
        }
        let error = status.parse::<u16>().map_or(true, |status| status >= 400);
        if error && response.content.is_empty() {
            response.content.insert(
                PROBLEM_JSON.to_owned(),
                Content::new(Some(Ref::from_schema_name("Problem"))),
            );
        }
    }
}
