//! A ticket's live status page, the target of its QR code: no personal data. Once the visit
//! is finished it asks the one question, how it went, until it is answered.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::lang::{self, LangQuery};
use super::page::render;
use super::paths::TicketPath;
use super::{blocking, form_guard, input};
use crate::app::{feedback, AppState};
use crate::domain::booking::Language;
use crate::domain::feedback::Feedback;
use crate::error::{AppError, AppResult};
use crate::messages;

/// A ticket's live status page, the target of its QR code: no personal data.
#[utoipa::path(get, path = "/tickets/{id}", tag = "pages", params(TicketPath, LangQuery),
    responses((status = 200, description = "The ticket's status page; after the visit, the question how it went", content_type = "text/html", body = String),
        (status = 404, description = "no such ticket")))]
pub async fn ticket(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    lang: Language,
) -> AppResult<HttpResponse> {
    page(&state, &req, lang, id.into_inner(), Answered::Not).await
}

/// The answer to the question on the page.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FeedbackForm {
    /// 1 (poor) to 5 (very good); none when no button was chosen.
    #[serde(default)]
    score: Option<i64>,
    #[serde(default)]
    comment: Option<String>,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /tickets/{id}/feedback`: the answer to how the visit went, once.
#[utoipa::path(post, path = "/tickets/{id}/feedback", tag = "pages", params(TicketPath),
    request_body(content = FeedbackForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The status page, thanking for the answer", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such ticket"),
        (status = 409, description = "the status page: the visit is not finished, or was answered already", content_type = "text/html", body = String),
        (status = 422, description = "the status page again: no score chosen, or a comment too long", content_type = "text/html", body = String)))]
pub async fn answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    form: input::Form<FeedbackForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    form_guard::check(&req, &form.form_token)?;
    let lang = lang::of_form(form.lang.as_deref(), lang);
    let id = id.into_inner();
    let parsed = Feedback::parse(form.score.unwrap_or(0), form.comment.as_deref());
    let Ok(answer) = parsed else {
        let text = messages::text(lang, "feedback.choose_a_score").to_owned();
        let mut page = page(&state, &req, lang, id, Answered::Mend(text)).await?;
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    let now = state.clock.now();
    let i = id.clone();
    let given = blocking::run(&state, move |conn| feedback::give(conn, &i, &answer, now)).await;
    match given {
        Ok(()) => page(&state, &req, lang, id, Answered::Thanks).await,
        Err(AppError::Conflict { .. }) => {
            let mut page = page(&state, &req, lang, id, Answered::Not).await?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
        Err(other) => Err(other),
    }
}

/// Where the page stands with the question.
enum Answered {
    Not,
    Thanks,
    /// Sent without a score: what to mend.
    Mend(String),
}

async fn page(
    state: &AppState,
    req: &HttpRequest,
    lang: Language,
    id: String,
    answered: Answered,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let i = id.clone();
    let (s, ask) = blocking::run(state, move |conn| {
        Ok((
            crate::app::ticket_status::status(conn, &i, now)?,
            feedback::asks(conn, &i)?,
        ))
    })
    .await?;
    let status: &'static str = s.status.into();
    let form_token = form_guard::kept_token(req);
    let (thanks, mend) = match answered {
        Answered::Not => (false, None),
        Answered::Thanks => (true, None),
        Answered::Mend(text) => (false, Some(text)),
    };
    let mut page = render(
        "ticket.html",
        context! {
            lang,
            number => s.number.to_string(),
            id,
            location_slug => s.location.slug.to_string(),
            location => s.location.name,
            service => s.service.spec.name(lang),
            status => status,
            position => s.position,
            wait => s.estimated_wait_minutes,
            desk => s.desk,
            ask, thanks, mend, form_token => form_token.clone(),
        },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}
