//! The manage page behind the confirmation's link, and cancelling from it.

use actix_web::{web, HttpRequest, HttpResponse};

use super::appointment::{self, View};
use crate::app::{booking, AppState};
use crate::domain::booking::Language;
use crate::error::AppResult;
use crate::http::forms::TokenForm;
use crate::http::lang::LangQuery;
use crate::http::paths::{ReferencePath, TokenQuery};
use crate::http::{blocking, input};

/// `GET /appointments/{reference}?token=`: the booking, with cancel and calendar.
#[utoipa::path(get, path = "/appointments/{reference}", tag = "pages",
    params(ReferencePath, TokenQuery, LangQuery),
    responses((status = 200, description = "The booking, with cancel, move and the calendar file", content_type = "text/html", body = String),
        (status = 404, description = "no appointment with that reference and token")))]
pub async fn manage(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    shown(state, reference, query, lang, View::Manage).await
}

/// The booking of the path's reference and the query's token, shown as `view`.
async fn shown(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    lang: Language,
    view: View,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let t = token.clone();
    let managed = blocking::run(&state, move |conn| booking::get(conn, &reference, &t)).await?;
    appointment::page(lang, &managed, &token, &state.public_base, view)
}

/// `GET /appointments/{reference}/cancel?token=`: are you sure? Cancelling is a form on
/// this page, so that one tap on the manage page never cancels.
#[utoipa::path(get, path = "/appointments/{reference}/cancel", tag = "pages",
    params(ReferencePath, TokenQuery, LangQuery),
    responses((status = 200, description = "The booking, and whether to cancel it", content_type = "text/html", body = String),
        (status = 404, description = "no appointment with that reference and token")))]
pub async fn confirm_cancel(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    shown(state, reference, query, lang, View::ConfirmCancel).await
}

/// `POST /appointments/{reference}/cancel`: cancels and shows the booking as cancelled.
#[utoipa::path(post, path = "/appointments/{reference}/cancel", tag = "pages",
    params(ReferencePath), request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The booking, cancelled", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "cancelled already, or its time has begun")))]
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    form: input::Form<TokenForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let (token, lang) = form.into_inner().checked(&req, lang)?;
    let (now, waitlist) = (state.clock.now(), state.waitlist);
    let asked = token.clone();
    let managed = blocking::run(&state, move |conn| {
        booking::cancel(conn, &reference, &asked, &waitlist, now)
    })
    .await?;
    appointment::page(lang, &managed, &token, &state.public_base, View::Manage)
}
