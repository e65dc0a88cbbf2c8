//! The one error type of the use cases. Each variant says what went wrong in words a
//! citizen or an administrator can act on; `http::problem` turns it into problem+json.

use serde_json::{Map, Value};

use crate::domain::FieldError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed input: not JSON, a missing field, a wrong type.
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required: {0}")]
    Unauthorized(String),
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The request is fine but the state of things refuses it (a full slot, a closed office).
    #[error("{detail}")]
    Conflict {
        detail: String,
        extra: Map<String, Value>,
    },
    /// Well-formed but invalid; `extra` carries what helps the client on (a link, free times).
    #[error("{detail}")]
    Unprocessable {
        detail: String,
        errors: Vec<FieldError>,
        extra: Map<String, Value>,
    },
    /// Too many requests; the client may try again after `retry_after_seconds`.
    #[error("too many requests: {detail}")]
    RateLimited {
        detail: String,
        retry_after_seconds: u64,
    },
    /// The server has no room for this now (or is stopping); try again after `retry_after_seconds`.
    #[error("{detail}")]
    Unavailable {
        detail: String,
        retry_after_seconds: u64,
    },
    /// A request body larger than the endpoint takes.
    #[error("{0}")]
    TooLarge(String),
    /// The path is served, but not with this method.
    #[error("{method} is not served here; use {}", allowed.join(" or "))]
    MethodNotAllowed {
        method: String,
        allowed: Vec<String>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::Conflict {
            detail: detail.into(),
            extra: Map::new(),
        }
    }

    /// A 429 that says, in words and in `Retry-After`, when to try again.
    pub fn rate_limited(detail: impl Into<String>, retry_after_seconds: u64) -> Self {
        Self::RateLimited {
            detail: detail.into(),
            retry_after_seconds: retry_after_seconds.max(1),
        }
    }

    /// A 422 about the given fields.
    pub fn invalid(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self::Unprocessable {
            detail: detail.into(),
            errors,
            extra: Map::new(),
        }
    }

    /// A 422 about one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::invalid(
            format!("{field}: {message}"),
            vec![FieldError::new(field, message)],
        )
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Store(StoreError::Query(e))
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        Self::Store(StoreError::Pool(e))
    }
}

pub type AppResult<T> = Result<T, AppError>;
