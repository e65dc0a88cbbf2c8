//! Database work from a handler: run on actix's blocking pool, off the async executor.

use actix_web::web;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{catalogue, DbConnection};

/// Runs `work` with a connection from the pool on the blocking pool, as one request of the
/// organisation's catalogue (see [`catalogue::scope`]).
pub async fn run<T, F>(state: &AppState, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        catalogue::scope(|| work(&mut conn))
    })
    .await
    .map_err(|e| AppError::Internal(format!("a blocking task failed: {e}")))?
}
