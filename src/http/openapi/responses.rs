//! What any operation can answer because of how it is called: problem documents for bad input,
//! a missing or refused session, a body too large, and the database being unavailable.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Header, ObjectBuilder, Ref, RefOr, Type};
use utoipa::Modify;

use super::operations::operations_of;
use super::{CSRF, SESSION_COOKIE};
use crate::http::problem::PROBLEM_JSON;

/// What any operation can answer because of how it is called, whatever it does.
pub(super) struct CommonResponses;

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
    // The statuses answered here come from before the handler, as problem documents, even
    // where the handler documents its own page for the same status.
    let mut common = Vec::new();
    let mut ensure = |status: u16, description: &str| {
        common.push(status.to_string());
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
        let undocumented = response.content.is_empty() || common.contains(status);
        if error && undocumented && !response.content.contains_key(PROBLEM_JSON) {
            response.content.insert(
                PROBLEM_JSON.to_owned(),
                Content::new(Some(Ref::from_schema_name("Problem"))),
            );
        }
    }
}
