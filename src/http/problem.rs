//! The one place where errors become HTTP: `application/problem+json` (RFC 9457).

use actix_web::http::header::RETRY_AFTER;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

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
                     not-found, conflict, invalid, rate-limited, unavailable or internal.",
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
            Self::Conflict { .. } | Self::Store(StoreError::Conflict(_)) => "conflict",
            Self::Unprocessable { .. } => "invalid",
            Self::RateLimited { .. } => "rate-limited",
            Self::Store(StoreError::Pool(_)) => "unavailable",
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
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } | Self::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Store(StoreError::Pool(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            // A database's error may quote the row it refused; the log keeps no personal data.
            tracing::error!(error = %redact(&self.to_string()), "request failed");
        }
        let (errors, extra) = match self {
            Self::Unprocessable { errors, extra, .. } => (errors.clone(), extra.clone()),
            Self::Conflict { extra, .. } => (Vec::new(), extra.clone()),
            _ => (Vec::new(), Map::new()),
        };
        let problem = Problem {
            kind: format!("/problems/{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.public_detail(),
            errors,
            extra,
        };
        let mut response = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let Self::RateLimited {
            retry_after_seconds,
            ..
        } = self
        {
            response.insert_header((RETRY_AFTER, retry_after_seconds.to_string()));
        }
        response.content_type(PROBLEM_JSON).json(problem)
    }
}

/// The extractor configurations: malformed JSON, paths and queries are 400s that say why.
pub fn json_config() -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|err, _| {
            AppError::BadRequest(format!("the request body is not valid: {err}")).into()
        })
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
