//! Liveness for load balancers and monitoring.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::error::AppError;

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200), (status = 503)))]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    web::block(move || crate::store::ping(&pool))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok"})))
}
