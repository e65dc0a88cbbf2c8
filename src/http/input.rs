//! Text as it comes in, checked once for control characters before any handler sees it:
//! the path and the query string by a middleware (404 and 422), JSON and form bodies by
//! the [`Json`] and [`Form`] extractors that every handler takes instead of actix's own
//! (422 naming the field). The rule itself is `domain::text`.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::{ready, Either};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::lang::FormLanguage;
use crate::domain::booking::Language;
use crate::domain::text::{forbidden_char, forbidden_message, printable};
use crate::domain::FieldError;
use crate::error::AppError;

/// Why a URL is refused: a control character in a path segment is an address that cannot
/// exist (404); in the query string it is a bad parameter (422 naming it).
fn url_refusal(path: &str, query: &str) -> Option<AppError> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if forbidden_char(&decoded).is_some() {
        return Some(AppError::not_found("there is nothing at this address"));
    }
    url::form_urlencoded::parse(query.as_bytes()).find_map(|(name, value)| {
        let c = forbidden_char(&name).or_else(|| forbidden_char(&value))?;
        Some(AppError::invalid_field(
            &printable(&name),
            forbidden_message(c),
        ))
    })
}

/// The middleware that refuses a URL with a control character before it is routed.
pub fn refuse_control_characters<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>,
{
    match url_refusal(req.path(), req.query_string()) {
        None => Either::Left(srv.call(req)),
        Some(refusal) => Either::Right(ready(Ok(req.error_response(refusal)))),
    }
}

/// The first string (or key) in a JSON document that holds a control character, with its
/// field as the errors list names fields (`citizen.name`, `services[0].service`).
fn forbidden_in_json(value: &Value, field: &str) -> Option<FieldError> {
    match value {
        Value::String(text) => {
            forbidden_char(text).map(|c| FieldError::new(field, forbidden_message(c)))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| forbidden_in_json(item, &format!("{field}[{i}]"))),
        Value::Object(members) => members.iter().find_map(|(key, member)| {
            let name = if field.is_empty() {
                printable(key)
            } else {
                format!("{field}.{}", printable(key))
            };
            match forbidden_char(key) {
                Some(c) => Some(FieldError::new(name, forbidden_message(c))),
                None => forbidden_in_json(member, &name),
            }
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

fn refused(error: FieldError) -> AppError {
    AppError::invalid(format!("{}: {}", error.field, error.message), vec![error])
}

/// A JSON body whose every string is free of control characters. It is read with the
/// app's `JsonConfig` (size limit, content type, the 400 for malformed JSON).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let document = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let document = document.await?.into_inner();
            Ok(Json(checked(document)?))
        })
    }
}

/// A JSON document as `T`, once every string in it is free of control characters (422
/// naming the field); 400 when it is not a `T`.
pub fn checked<T: DeserializeOwned>(document: Value) -> Result<T, AppError> {
    if let Some(error) = forbidden_in_json(&document, "") {
        return Err(refused(error));
    }
    serde_json::from_value(document)
        .map_err(|e| AppError::BadRequest(format!("the request body is not valid: {e}")))
}

/// A form body whose every field is free of control characters, read with the app's
/// `FormConfig`.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T> Form<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Form<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fields = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let fields = fields.await?.into_inner();
            let named = fields.iter().find(|(name, _)| name == "lang");
            if let Some(lang) = named.and_then(|(_, code)| Language::from_code(code)) {
                req.extensions_mut().insert(FormLanguage(lang));
            }
            let bad = fields.iter().find_map(|(name, value)| {
                let c = forbidden_char(name).or_else(|| forbidden_char(value))?;
                Some(FieldError::new(printable(name), forbidden_message(c)))
            });
            if let Some(error) = bad {
                return Err(refused(error).into());
            }
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            serde_urlencoded::from_str(&encoded)
                .map(Form)
                .map_err(|e| AppError::BadRequest(format!("the form is not valid: {e}")).into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_character_in_a_path_segment_is_not_found() {
        let refusal = url_refusal("/api/v1/locations/nu%00uk/services", "").unwrap();
        assert!(matches!(refusal, AppError::NotFound(_)));
        assert!(url_refusal("/api/v1/locations/nu%0auk/services", "").is_some());
        assert!(url_refusal("/api/v1/locations/nuuk/services", "").is_none());
        assert!(
            url_refusal("/api/v1/locations/nu%2500uk/services", "").is_none(),
            "an escaped percent sign is text"
        );
    }

    #[test]
    fn a_control_character_in_the_query_names_the_parameter() {
        let refusal = url_refusal("/api/v1/locations/nuuk/slots", "service=pa%00s&lang=da");
        match refusal {
            Some(AppError::Unprocessable { errors, .. }) => assert_eq!(errors[0].field, "service"),
            other => panic!("{other:?}"),
        }
        assert!(url_refusal("/x", "service=pas&from=2027-03-30").is_none());
        assert!(url_refusal("/x", "na%1Bme=1").is_some());
    }

    #[test]
    fn json_fields_are_named_by_their_path() {
        let body = serde_json::json!({
            "location": "nuuk",
            "citizen": {"name": "a\u{0}b", "email": "a@b.dk"},
        });
        let error = forbidden_in_json(&body, "").unwrap();
        assert_eq!(error.field, "citizen.name");
        let list = serde_json::json!({"services": [{"service": "pas"}, {"service": "x\u{7f}"}]});
        assert_eq!(
            forbidden_in_json(&list, "").unwrap().field,
            "services[1].service"
        );
        let clean = serde_json::json!({"a": ["b", 1, null, true, {"c": "d"}]});
        assert_eq!(forbidden_in_json(&clean, ""), None);
    }
}
