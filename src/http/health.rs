//! Liveness for load balancers and monitoring.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::error::AppError;

/// What `/health` answers while the database does.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    status: HealthStatus,
}

/// The one value of [`Health::status`]: an answer at all means the database answered.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
}

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    web::block(move || crate::store::ping(&pool))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(HttpResponse::Ok().json(Health {
        status: HealthStatus::Ok,
    }))
}
