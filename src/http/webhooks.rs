//! The administrators' webhook API: register an endpoint, read the endpoints with how their
//! deliveries go, delete one.

use actix_web::{web, HttpRequest, HttpResponse};

use super::session::StaffSession;
use super::{blocking, body};
use crate::app::webhooks::{self, WebhookBody, WebhookView, WEBHOOK_ROLES};
use crate::app::AppState;
use crate::domain::webhook::WebhookId;
use crate::error::AppResult;

/// A webhook endpoint by its id.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct WebhookPath {
    #[param(example = 1)]
    pub id: i64,
}

/// What registering answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub id: i64,
}

/// Register an endpoint for events (admin only). Each delivery is a POST of
/// `{id, type, timestamp, data}` with the headers `webhook-id`, `webhook-timestamp` and
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret>`.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "staff", request_body = WebhookBody,
    security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 201, body = Registered), (status = 403, description = "not an administrator"),
        (status = 422, description = "a URL that is not https (nor http to loopback), a short secret or an unknown event, named in `errors`")))]
pub async fn register(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    session.require(WEBHOOK_ROLES)?;
    let input: WebhookBody = body::json(&req, payload).await?;
    let now = state.clock.now();
    let admin = session.user;
    let id = blocking::run(&state, move |conn| {
        webhooks::register(conn, &admin, &input, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(Registered { id: id.0 }))
}

/// The organisation's endpoints, with the state of their deliveries and the last error
/// (admin only).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "staff",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [WebhookView]), (status = 403, description = "not an administrator")))]
pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
) -> AppResult<web::Json<Vec<WebhookView>>> {
    session.require(WEBHOOK_ROLES)?;
    let admin = session.user;
    Ok(web::Json(
        blocking::run(&state, move |conn| webhooks::list(conn, &admin)).await?,
    ))
}

/// Stop delivering to an endpoint (admin only); what it was still owed is given up.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "staff", params(WebhookPath),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 204, description = "deleted"), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such endpoint")))]
pub async fn remove(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    session.require(WEBHOOK_ROLES)?;
    let id = WebhookId(id.into_inner());
    let now = state.clock.now();
    let admin = session.user;
    blocking::run(&state, move |conn| webhooks::remove(conn, &admin, id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}
