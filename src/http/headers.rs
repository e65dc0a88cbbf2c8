//! The security headers on every response: a strict Content-Security-Policy (scripts and
//! styles from this server's files only, no framing), no MIME sniffing, the referrer kept
//! to this site, no caching unless a handler allows it, and HSTS behind HTTPS.

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::web;

use crate::app::AppState;

/// Everything from this server, nothing inline: no inline script or style, no plugins, no
/// `<base>` tricks, forms only to this server. Pictures may also come over https, since a
/// municipality may name its logo on its own site.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' https:; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The Content-Security-Policy of a page that the sites in `frame_ancestors` (a CSP source
/// list, `'none'` for no one) may embed.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!("{POLICY}; frame-ancestors {frame_ancestors}")
}

/// Adds each header the handler did not set itself. A handler that sets its own
/// Content-Security-Policy (the call display, which may be embedded) gets no
/// `X-Frame-Options`, which cannot say who may embed.
pub fn secure<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>,
{
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.public_base.starts_with("https://"));
    let response = srv.call(req);
    async move {
        let mut response = response.await?;
        let headers = response.headers_mut();
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            set(headers, header::X_FRAME_OPTIONS, "DENY");
            set(
                headers,
                header::CONTENT_SECURITY_POLICY,
                &content_security_policy("'none'"),
            );
        }
        set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        // Links on the pages may carry a manage token: never to another site, but in full
        // to this one, where the language switch reads it.
        set(headers, header::REFERRER_POLICY, "same-origin");
        // Pages and answers may carry personal data or a manage token; the static files
        // say themselves that they may be cached.
        set(headers, header::CACHE_CONTROL, "no-store");
        if https {
            set(
                headers,
                header::STRICT_TRANSPORT_SECURITY,
                "max-age=31536000",
            );
        }
        Ok(response)
    }
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if !headers.contains_key(&name) {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
}
