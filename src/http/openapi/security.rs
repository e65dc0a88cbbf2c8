//! The credentials the description names: the session token, the session cookie with its CSRF
//! header, and the metrics token.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

use super::{BEARER, CSRF, METRICS_TOKEN, SESSION_COOKIE};

pub(super) struct SecuritySchemes;

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
                crate::http::session::COOKIE,
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
