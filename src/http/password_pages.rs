//! `/staff/password/{token}`: where a staff member chooses a password from the link an
//! administrator had mailed, without a session. The token is the link's only secret; it
//! is never logged (requests are logged by route pattern) and only its hash is stored.

use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::page::render;
use super::session::{signed_in, CsrfFrom, StaffPage, StaffSession};
use super::{blocking, form_guard, input, lang, staff_layout};
use crate::app::{password_links, AppState};
use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};
use crate::messages;

/// A password-set link by its token, as mailed.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TokenPath {
    #[param(example = "0f3c…")]
    pub token: String,
}

/// What the page says instead of the form, or beside it: a refusal in the page's language.
pub(crate) fn password_refusal(error: &AppError, lang: Language) -> Option<(StatusCode, String)> {
    let text = match error {
        AppError::NotFound(_) => messages::text(lang, "admin_people.link_unknown").to_owned(),
        AppError::Conflict { .. } => error.said().map_or_else(
            || messages::text(lang, "admin_people.link_used").to_owned(),
            |said| said.text(lang),
        ),
        AppError::Unprocessable { errors, .. } => {
            let texts: Vec<&str> = errors
                .iter()
                .map(|e| match e.field.as_str() {
                    "password_again" => messages::text(lang, "admin_people.error_password_again"),
                    "current_password" => {
                        messages::text(lang, "admin_people.error_current_password")
                    }
                    _ => messages::text(lang, "admin_people.error_password_short"),
                })
                .collect();
            texts.join(" ")
        }
        _ => return None,
    };
    let status = match error {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Some((status, text))
}

struct Shown<'a> {
    token: &'a str,
    username: Option<&'a str>,
    error: Option<&'a str>,
    done: bool,
}

fn page(lang: Language, shown: Shown, status: StatusCode) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let mut page = render(
        "password_set.html",
        context! {
            lang,
            token => shown.token,
            username => shown.username,
            error => shown.error,
            done => shown.done,
            form_token => form_token.clone(),
        },
    )?;
    *page.status_mut() = status;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

/// `GET /staff/password/{token}`
#[utoipa::path(get, path = "/staff/password/{token}", tag = "pages", params(TokenPath, super::lang::LangQuery),
    responses((status = 200, description = "The form to choose a password", content_type = "text/html", body = String),
        (status = 404, description = "no such link: the page says so", content_type = "text/html", body = String),
        (status = 409, description = "the link is used or expired: the page says so", content_type = "text/html", body = String)))]
pub async fn form(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let token = path.into_inner().token;
    let (lookup, now) = (token.clone(), state.clock.now());
    let found = blocking::run(&state, move |conn| {
        password_links::usable(conn, &lookup, now)
    })
    .await;
    match found {
        Ok((_, user)) => {
            let shown = Shown {
                token: &token,
                username: Some(&user.username),
                error: None,
                done: false,
            };
            page(lang, shown, StatusCode::OK)
        }
        Err(e) => match password_refusal(&e, lang) {
            Some((status, text)) => {
                let shown = Shown {
                    token: &token,
                    username: None,
                    error: Some(&text),
                    done: false,
                };
                page(lang, shown, status)
            }
            None => Err(e),
        },
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordForm {
    password: String,
    password_again: String,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /staff/password/{token}`: sets the password, or shows the form again with why not.
#[utoipa::path(post, path = "/staff/password/{token}", tag = "pages", params(TokenPath), request_body(content = PasswordForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The password is set; the page links to the sign-in", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such link", content_type = "text/html", body = String),
        (status = 409, description = "the link is used or expired", content_type = "text/html", body = String),
        (status = 422, description = "the form again: the password is too short or typed differently", content_type = "text/html", body = String)))]
pub async fn set(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<TokenPath>,
    form: input::Form<PasswordForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let PasswordForm {
        password,
        password_again,
        form_token,
        lang: chosen,
    } = form.into_inner();
    let lang = lang::of_form(chosen.as_deref(), lang);
    form_guard::check(&req, &form_token)?;
    let token = path.into_inner().token;
    let (used, now) = (token.clone(), state.clock.now());
    let result = blocking::run(&state, move |conn| {
        password_links::set_by_link(conn, &used, &password, Some(&password_again), now)
    })
    .await;
    match result {
        Ok(username) => {
            let shown = Shown {
                token: &token,
                username: Some(&username),
                error: None,
                done: true,
            };
            page(lang, shown, StatusCode::OK)
        }
        Err(e) => match password_refusal(&e, lang) {
            Some((status, text)) => {
                // A refused password leaves the form; a link that cannot be used, only why.
                let username = (status == StatusCode::UNPROCESSABLE_ENTITY).then_some("");
                let shown = Shown {
                    token: &token,
                    username,
                    error: Some(&text),
                    done: false,
                };
                page(lang, shown, status)
            }
            None => Err(e),
        },
    }
}

/// `GET /staff/account/password`
#[utoipa::path(get, path = "/staff/account/password", tag = "pages", params(super::lang::LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The form to change one's own password", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String)))))]
pub async fn own_form(session: StaffPage, lang: Language) -> AppResult<HttpResponse> {
    own_page(&session, lang, None, StatusCode::OK)
}

fn own_page(
    session: &StaffSession,
    lang: Language,
    outcome: Option<Result<(), &str>>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let (done, error) = match outcome {
        Some(Ok(())) => (true, None),
        Some(Err(why)) => (false, Some(why)),
        None => (false, None),
    };
    let mut page = render(
        "account_password.html",
        context! {
            lang,
            page => "account",
            staff => staff_layout::chrome(session, lang),
            done,
            error,
        },
    )?;
    *page.status_mut() = status;
    Ok(page)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OwnPasswordForm {
    current_password: String,
    password: String,
    password_again: String,
    csrf_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /staff/account/password`: changes the password, or shows the form with why not.
#[utoipa::path(post, path = "/staff/account/password", tag = "pages", request_body(content = OwnPasswordForm, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, description = "Changed: the form again, saying so", content_type = "text/html", body = String),
        (status = 401, description = "not signed in"),
        (status = 403, description = "the form's token is not the session's"),
        (status = 422, description = "the form again: the current password is wrong, or the new one too short or typed differently", content_type = "text/html", body = String)))]
pub async fn change_own(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
    lang: Language,
) -> actix_web::Result<HttpResponse> {
    // The session first: without one, the form is not read at all.
    let session = signed_in(&req, CsrfFrom::Form)
        .await?
        .ok_or_else(|| AppError::Unauthorized("sign in first".into()))?;
    let mut payload = payload.into_inner();
    let OwnPasswordForm {
        current_password,
        password,
        password_again,
        csrf_token,
        lang: chosen,
    } = input::Form::<OwnPasswordForm>::from_request(&req, &mut payload)
        .await?
        .into_inner();
    let lang = lang::of_form(chosen.as_deref(), lang);
    session.check_form_token(&csrf_token)?;
    let (user, token, now) = (
        session.user.clone(),
        session.token.clone(),
        state.clock.now(),
    );
    let result = blocking::run(&state, move |conn| {
        password_links::change_own(
            conn,
            &user,
            &token,
            &current_password,
            &password,
            &password_again,
            now,
        )
    })
    .await;
    Ok(match result {
        Ok(()) => own_page(&session, lang, Some(Ok(())), StatusCode::OK)?,
        Err(e) => match password_refusal(&e, lang) {
            Some((status, text)) => own_page(&session, lang, Some(Err(&text)), status)?,
            None => return Err(e.into()),
        },
    })
}
