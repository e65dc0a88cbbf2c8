//! The one error type of the use cases. Each variant says what went wrong in words a
//! citizen or an administrator can act on; `http::problem` turns it into problem+json.

use std::fmt;

use serde_json::{Map, Value};

use crate::domain::FieldError;
use crate::messages::Said;
use crate::store::StoreError;

/// What went wrong: in English for a client that asks for no language, and, where a citizen
/// can meet it, what to tell them in their own language.
#[derive(Debug, Clone)]
pub struct Detail {
    pub text: String,
    pub said: Option<Said>,
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for Detail {
    fn from(text: String) -> Self {
        Self { text, said: None }
    }
}

impl From<&str> for Detail {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

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
    NotFound(Detail),
    /// The request is fine but the state of things refuses it (a full slot, a closed office).
    #[error("{detail}")]
    Conflict {
        detail: Detail,
        extra: Map<String, Value>,
    },
    /// Well-formed but invalid; `extra` carries what helps the client on (a link, free times).
    #[error("{detail}")]
    Unprocessable {
        detail: Detail,
        errors: Vec<FieldError>,
        extra: Map<String, Value>,
    },
    /// Too many requests; the client may try again after `retry_after_seconds`.
    #[error("too many requests: {detail}")]
    RateLimited {
        detail: Detail,
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
    pub fn not_found(what: impl Into<Detail>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn conflict(detail: impl Into<Detail>) -> Self {
        Self::Conflict {
            detail: detail.into(),
            extra: Map::new(),
        }
    }

    /// A 429 that says, in words and in `Retry-After`, when to try again.
    pub fn rate_limited(detail: impl Into<Detail>, retry_after_seconds: u64) -> Self {
        Self::RateLimited {
            detail: detail.into(),
            retry_after_seconds: retry_after_seconds.max(1),
        }
    }

    /// A 422 about the given fields.
    pub fn invalid(detail: impl Into<Detail>, errors: Vec<FieldError>) -> Self {
        Self::Unprocessable {
            detail: detail.into(),
            errors,
            extra: Map::new(),
        }
    }

    /// A 422 about each of these fields, every one named in the detail too.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let detail: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        Self::invalid(detail.join("; "), errors)
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

impl AppError {
    /// The error with what a citizen is told about it; errors a citizen cannot cause
    /// (a failing database, a missing sign-in) stay as they are.
    pub fn saying(mut self, said: Said) -> Self {
        if let Self::NotFound(detail)
        | Self::Conflict { detail, .. }
        | Self::Unprocessable { detail, .. }
        | Self::RateLimited { detail, .. } = &mut self
        {
            detail.said = Some(said);
        }
        self
    }

    /// What a citizen is told about this error, if it is one a citizen can cause.
    pub fn said(&self) -> Option<&Said> {
        match self {
            Self::NotFound(detail)
            | Self::Conflict { detail, .. }
            | Self::Unprocessable { detail, .. }
            | Self::RateLimited { detail, .. } => detail.said.as_ref(),
            _ => None,
        }
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
