//! Request bodies that a handler reads itself, after it has checked that the caller may
//! send them: a caller without the role is refused the same whatever its body holds. The
//! same rules as the [`input::Json`](super::input::Json) extractor apply once it is read.

use actix_web::{web, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};

/// The largest JSON body any endpoint takes.
pub const JSON_LIMIT: usize = 64 * 1024;

/// The largest form a page takes.
pub const FORM_LIMIT: usize = 16 * 1024;

/// The body as JSON of type `T`: 400 when it is not JSON or not `T`, 413 over [`JSON_LIMIT`].
pub async fn json<T: DeserializeOwned>(req: &HttpRequest, payload: web::Payload) -> AppResult<T> {
    let is_json = req.mime_type().ok().flatten().is_some_and(|mime| {
        mime.subtype() == actix_web::mime::JSON || mime.suffix() == Some(actix_web::mime::JSON)
    });
    if !is_json {
        return Err(AppError::BadRequest(
            "the request body must be JSON, sent as Content-Type: application/json".into(),
        ));
    }
    let body = bytes(payload).await?;
    let document = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("the request body is not valid: {e}")))?;
    super::input::checked(document)
}

/// The body's bytes: 413 over [`JSON_LIMIT`].
pub async fn bytes(payload: web::Payload) -> AppResult<web::Bytes> {
    match payload.to_bytes_limited(JSON_LIMIT).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(AppError::BadRequest(format!(
            "the request body could not be read: {e}"
        ))),
        Err(_) => Err(AppError::TooLarge(too_large(JSON_LIMIT))),
    }
}

/// What a body over `limit` is told.
pub fn too_large(limit: usize) -> String {
    format!(
        "the request body is larger than the {} KiB this takes",
        limit / 1024
    )
}
