//! The one place where errors become HTTP: `application/problem+json` (RFC 9457).

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, UrlencodedError};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

use super::lang::FormLanguage;
use super::{body, lang, page};
use crate::domain::redaction::redact;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::store::StoreError;

/// An RFC 9457 problem document. Its OpenAPI schema is written out below, so that the
/// extensions some answers carry are described once with the rest.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong, in a sentence a person can act on.
    pub detail: String,
    /// One entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extensions that help the client on (a self-service link, free times, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The media type of every error the API answers with.
pub const PROBLEM_JSON: &str = "application/problem+json";

impl utoipa::ToSchema for Problem {}

impl utoipa::PartialSchema for Problem {
    fn schema() -> RefOr<Schema> {
        let string = |format: Option<KnownFormat>, description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(format.map(SchemaFormat::KnownFormat))
                .description(Some(description))
        };
        ObjectBuilder::new()
            .description(Some(
                "An RFC 9457 problem document: every error the API answers with.",
            ))
            .property(
                "type",
                string(
                    Some(KnownFormat::UriReference),
                    "The kind of problem: /problems/bad-request, unauthorized, forbidden, \
                     not-found, method-not-allowed, conflict, too-large, invalid, rate-limited, \
                     unavailable or internal.",
                ),
            )
            .required("type")
            .property("title", string(None, "The status's reason phrase."))
            .required("title")
            .property(
                "status",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(400))
                    .maximum(Some(599)),
            )
            .required("status")
            .property(
                "detail",
                string(None, "What went wrong, in a sentence a person can act on."),
            )
            .required("detail")
            .property(
                "errors",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name("FieldError"))
                    .description(Some("One entry per invalid field (422).")),
            )
            .property(
                "self_service_url",
                string(
                    Some(KnownFormat::Uri),
                    "A ticket refused because the errand is done online: where.",
                ),
            )
            .property(
                "assist_available",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .description(Some("A ticket with `assist` is still possible.")),
            )
            .property(
                "slots",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name("SlotView"))
                    .description(Some(
                        "A ticket refused because the errand needs a booking: the next free times.",
                    )),
            )
            .property(
                "booking_url",
                string(
                    Some(KnownFormat::Uri),
                    "Where to book this location's errands.",
                ),
            )
            .property(
                "next_opening",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                    .description(Some(
                        "A ticket refused because the office is closed: when it opens next.",
                    )),
            )
            .property(
                "reason",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["too_early", "too_late", "not_booked"]))
                    .description(Some("A check-in refused: why.")),
            )
            .property(
                "check_in_from",
                string(
                    Some(KnownFormat::DateTime),
                    "A check-in refused as too early: when it opens, with the location's offset.",
                ),
            )
            .into()
    }
}

impl AppError {
    fn kind(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad-request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not-found",
            Self::MethodNotAllowed { .. } => "method-not-allowed",
            Self::Conflict { .. } | Self::Store(StoreError::Conflict(_)) => "conflict",
            Self::TooLarge(_) => "too-large",
            Self::Unprocessable { .. } => "invalid",
            Self::RateLimited { .. } => "rate-limited",
            Self::Unavailable { .. } | Self::Store(StoreError::Pool(_)) => "unavailable",
            Self::Store(_) | Self::Internal(_) => "internal",
        }
    }

    fn public_detail(&self) -> String {
        match self {
            // Internals stay in the log; the client learns only that it was not its fault.
            Self::Store(StoreError::Pool(_)) => {
                "the database is busy or unreachable; try again shortly".into()
            }
            Self::Store(StoreError::Conflict(detail)) => detail.clone(),
            Self::Store(_) | Self::Internal(_) => {
                "something went wrong on our side; it has been logged".into()
            }
            other => other.to_string(),
        }
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (errors, extra) = match self {
            Self::Unprocessable { errors, extra, .. } => (errors.clone(), extra.clone()),
            Self::Conflict { extra, .. } => (Vec::new(), extra.clone()),
            _ => (Vec::new(), Map::new()),
        };
        Problem {
            kind: format!("/problems/{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.public_detail(),
            errors,
            extra,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } | Self::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } | Self::Store(StoreError::Pool(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Store(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        // What went wrong inside is logged; a full server turning requests away is not an
        // error of its own, and a crowd of refusals must not flood the log.
        if matches!(self, Self::Store(_) | Self::Internal(_)) {
            // A database's error may quote the row it refused; the log keeps no personal data.
            tracing::error!(error = %redact(&self.to_string()), "request failed");
        }
        let mut response = HttpResponse::build(status);
        match self {
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::RateLimited {
                retry_after_seconds,
                ..
            }
            | Self::Unavailable {
                retry_after_seconds,
                ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            Self::MethodNotAllowed { allowed, .. } => {
                response.insert_header((header::ALLOW, allowed.join(", ")));
            }
            _ => {}
        }
        response.content_type(PROBLEM_JSON).json(self.problem())
    }
}

/// The extractor configurations: malformed JSON, forms, paths and queries are 400s that
/// say why; a body over the limit is a 413.
pub fn json_config() -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(body::JSON_LIMIT)
        .error_handler(|err, _| {
            match err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => {
                    AppError::TooLarge(body::too_large(body::JSON_LIMIT))
                }
                other => AppError::BadRequest(format!("the request body is not valid: {other}")),
            }
            .into()
        })
}

pub fn form_config() -> actix_web::web::FormConfig {
    actix_web::web::FormConfig::default()
        .limit(body::FORM_LIMIT)
        .error_handler(|err, _| {
            match err {
                UrlencodedError::Overflow { .. } => {
                    AppError::TooLarge(body::too_large(body::FORM_LIMIT))
                }
                other => AppError::BadRequest(format!("the form is not valid: {other}")),
            }
            .into()
        })
}

/// Bodies read whole (`web::Bytes`, `String`): their errors are turned into problems by
/// [`as_problem`], by status.
pub fn payload_config() -> actix_web::web::PayloadConfig {
    actix_web::web::PayloadConfig::new(body::JSON_LIMIT)
}

pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("the query string is not valid: {err}")).into()
    })
}

pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("the path is not valid: {err}")).into()
    })
}

/// Every error leaves as a problem document, or as an error page on a page a browser asked
/// for: an [`AppError`] as it describes itself, anything else that actix answered on its
/// own (a method the path does not take, a body it could not read) by its status.
pub fn as_problem<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>,
{
    let page = super::page_path::is_page(req.path()) && accepts_html(req.headers());
    let named = lang::named_by(req.query_string(), req.headers());
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let response = srv.call(req);
    async move {
        let response = response.await?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return Ok(response);
        }
        // A form's own `lang` comes first: the page it was sent from spoke it.
        let form = response
            .request()
            .extensions()
            .get::<FormLanguage>()
            .copied();
        let named = form.map(|f| f.0).or(named);
        let lang = named.unwrap_or_default();
        let error = response
            .response()
            .error()
            .and_then(|e| e.as_error::<AppError>());
        let known = error.map(AppError::problem);
        // What a citizen is told, in the language a page has or an API client names.
        let said = error
            .and_then(AppError::said)
            .filter(|_| page || named.is_some())
            .map(|said| said.text(lang));
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        let problem = match known {
            Some(_) if !page && said.is_none() => return Ok(response),
            Some(problem) => Problem {
                detail: said.clone().unwrap_or(problem.detail),
                ..problem
            },
            // A page or a problem the handler wrote itself (a form shown again with why).
            None if content_type.starts_with(b"text/html")
                || content_type == PROBLEM_JSON.as_bytes() =>
            {
                return Ok(response)
            }
            None => by_status(status, &method, &path, response.headers()),
        };
        let (request, old) = response.into_parts();
        let mut new = if page {
            let html = page::error_page(lang, problem.status, said.as_deref());
            HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(html)
        } else {
            HttpResponse::build(status)
                .content_type(PROBLEM_JSON)
                .json(problem)
        };
        for name in [
            header::ALLOW,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            header::SET_COOKIE,
        ] {
            for value in old.headers().get_all(&name) {
                new.headers_mut().append(name.clone(), value.clone());
            }
        }
        Ok(ServiceResponse::new(request, new))
    }
}

/// A browser asks for HTML; a script, a test or an API client that does not gets the
/// problem document, on the pages too.
fn accepts_html(headers: &header::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"))
}

/// The problem for an answer actix gave without an [`AppError`].
fn by_status(status: StatusCode, method: &str, path: &str, headers: &header::HeaderMap) -> Problem {
    let error = match status {
        StatusCode::NOT_FOUND => AppError::not_found(format!("there is nothing at {path}")),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed {
            method: method.to_owned(),
            allowed: headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(',').map(|m| m.trim().to_owned()).collect())
                .unwrap_or_default(),
        },
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::TooLarge("the request body is larger than this takes".into())
        }
        s if s.is_server_error() => AppError::Internal(format!("answered {s} by the framework")),
        s => AppError::BadRequest(format!(
            "the request could not be handled: {}",
            s.canonical_reason().unwrap_or("error").to_lowercase()
        )),
    };
    let mut problem = error.problem();
    // The status actix chose stands (a 415, a 408), with the nearest description.
    problem.status = status.as_u16();
    problem.title = status.canonical_reason().unwrap_or("Error").to_owned();
    problem
}
