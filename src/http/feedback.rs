//! `POST /api/v1/tickets/{id}/feedback`: the one question after a finished visit.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{blocking, input};
use crate::app::{feedback, AppState};
use crate::domain::feedback::Feedback;
use crate::error::{AppError, AppResult};

/// How the visit went, 1 (poor) to 5 (very good), and a comment if the citizen likes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FeedbackInput {
    #[schema(minimum = 1, maximum = 5, example = 5)]
    pub score: i64,
    #[schema(example = "Hurtigt og venligt.", max_length = 1000)]
    pub comment: Option<String>,
}

/// The answer as it was kept.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackView {
    pub ticket: String,
    pub score: u8,
    /// Whether a comment was kept (until retention blanks it).
    pub comment: bool,
}

/// Feedback on a finished visit, once per visit.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/feedback", tag = "kiosk",
    params(super::paths::TicketPath), request_body = FeedbackInput,
    responses((status = 201, body = FeedbackView),
        (status = 404, description = "no such ticket"),
        (status = 409, description = "the visit is not finished yet, or has its feedback already"),
        (status = 422, description = "a score outside 1 to 5, or a comment too long")))]
pub async fn give(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: input::Json<FeedbackInput>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let answer =
        Feedback::parse(body.score, body.comment.as_deref()).map_err(AppError::invalid_fields)?;
    let (now, ticket) = (state.clock.now(), id.into_inner());
    let (t, a) = (ticket.clone(), answer.clone());
    blocking::run(&state, move |conn| feedback::give(conn, &t, &a, now)).await?;
    Ok(HttpResponse::Created().json(FeedbackView {
        ticket,
        score: answer.score.value(),
        comment: answer.comment.is_some(),
    }))
}
