//! `GET /metrics` in the Prometheus text format, and the middleware that counts requests.

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::blocking;
use crate::app::AppState;
use crate::error::{AppError, AppResult};

/// The metrics of this server, with the database's figures read now; with a scrape token
/// set, only for a request that carries it as `Authorization: Bearer`.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(("metrics" = []), ()),
    responses((status = 200, description = "The Prometheus text format",
        content_type = "text/plain", body = String),
        (status = 401, description = "the server has `SKRANKE_METRICS_TOKEN` and the request did not bring it")))]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    if let Some(token) = &state.edge.metrics_token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|given| token.matches(given.trim())) {
            return Err(AppError::Unauthorized(
                "the metrics need the scrape token as Authorization: Bearer".into(),
            ));
        }
    }
    let metrics = state.metrics.clone();
    let text = blocking::run(&state, move |conn| metrics.render(conn)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}

/// Counts each request by its route pattern and status; the concrete path may carry
/// references and tokens, and would make a series per appointment.
pub fn count_request<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse, Error = actix_web::Error>,
{
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let response = srv.call(req);
    async move {
        let response = response.await?;
        if let Some(metrics) = metrics {
            metrics.request(&method, &route, response.status().as_u16());
        }
        Ok(response)
    }
}
