//! The staff's browser pages: sign-in, the desk console, and the call display for the
//! waiting room. The console and the display are driven by the JSON API and the event
//! stream; these handlers only hand out the pages and the session's CSRF token.

use actix_web::http::header::{HeaderValue, CONTENT_SECURITY_POLICY, LOCATION};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::lang::{self, LangQuery};
use super::page::render;
use super::paths::LocationPath;
use super::session::{session_cookie, StaffSession};
use super::{blocking, form_guard, headers, input};
use crate::app::{auth, catalogue, AppState};
use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};
use crate::messages;

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, to.to_owned()))
        .finish()
}

/// `GET /staff/login`
#[utoipa::path(get, path = "/staff/login", tag = "pages", params(LangQuery),
    responses((status = 200, description = "The sign-in form", content_type = "text/html", body = String)))]
pub async fn login_form(lang: Language) -> AppResult<HttpResponse> {
    login_page(lang, None, StatusCode::OK)
}

fn login_page(lang: Language, error: Option<&str>, status: StatusCode) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let mut page = render(
        "login.html",
        context! { lang => lang, form_token => form_token.clone(), error => error },
    )?;
    *page.status_mut() = status;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginForm {
    username: String,
    password: String,
    form_token: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /staff/login`: signs in and goes to the console; a wrong password shows the form
/// again with the reason.
#[utoipa::path(post, path = "/staff/login", tag = "pages", request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Signed in: on to the console, with the session cookie",
            headers(("Location" = String), ("Set-Cookie" = String))),
        (status = 401, description = "the form again: wrong username or password", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 429, description = "too many failed sign-ins")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<LoginForm>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let LoginForm {
        username,
        password,
        form_token,
        lang: chosen,
    } = form.into_inner();
    let lang = lang::of_form(chosen.as_deref(), lang);
    form_guard::check(&req, &form_token)?;
    let now = state.clock.now();
    let client = req.peer_addr().map(|peer| peer.ip());
    let result = blocking::run(&state, move |conn| {
        auth::login(conn, &username, &password, client, now)
    })
    .await;
    match result {
        Ok(session) => {
            let mut response = see_other(&format!("/staff?lang={}", lang.code()));
            response
                .add_cookie(&session_cookie(&state, session.token))
                .map_err(|e| AppError::Internal(format!("setting the session cookie: {e}")))?;
            Ok(response)
        }
        Err(AppError::RateLimited {
            retry_after_seconds,
            ..
        }) => {
            let seconds = retry_after_seconds.to_string();
            let text = messages::text_with(lang, "error.login_throttled", &[("seconds", &seconds)]);
            let mut page = login_page(lang, Some(&text), StatusCode::TOO_MANY_REQUESTS)?;
            page.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_seconds),
            );
            Ok(page)
        }
        Err(AppError::Unauthorized(_)) => login_page(
            lang,
            Some(messages::text(lang, "error.login_wrong")),
            StatusCode::UNAUTHORIZED,
        ),
        Err(other) => Err(other),
    }
}

#[derive(Serialize)]
struct LocationChoice {
    slug: String,
    name: String,
}

/// `GET /staff`: the desk console, or the sign-in form for a browser without a session.
#[utoipa::path(get, path = "/staff", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The desk console", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form", headers(("Location" = String)))))]
pub async fn console(
    state: web::Data<AppState>,
    session: Option<StaffSession>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let Some(session) = session else {
        return Ok(see_other(&format!("/staff/login?lang={}", lang.code())));
    };
    let user = session.user.clone();
    let locations = blocking::run(&state, move |conn| catalogue::workplaces(conn, &user)).await?;
    let choices: Vec<LocationChoice> = locations
        .into_iter()
        .map(|l| LocationChoice {
            slug: l.slug.to_string(),
            name: l.name,
        })
        .collect();
    render(
        "console.html",
        context! {
            lang => lang,
            csrf_token => session.csrf_token,
            name => session.user.display_name,
            locations => choices,
        },
    )
}

/// `GET /locations/{location}/display`: the call display for the waiting room's screen.
#[utoipa::path(get, path = "/locations/{location}/display", tag = "pages",
    params(LocationPath, LangQuery),
    responses((status = 200, description = "The call display for the waiting room's screen", content_type = "text/html", body = String),
        (status = 404, description = "no such location")))]
pub async fn display(
    state: web::Data<AppState>,
    location: web::Path<String>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let location = blocking::run(&state, move |conn| catalogue::location(conn, &location)).await?;
    let mut page = render(
        "display.html",
        context! {
            lang,
            location_slug => location.slug.to_string(),
            location => location.name,
        },
    )?;
    // The one page a municipality may embed (its own screens' page): by whom is a setting;
    // when no one may, the policy of every other page holds.
    let ancestors = &state.edge.display_frame_ancestors;
    if ancestors != "'none'" {
        let policy = headers::content_security_policy(ancestors);
        page.headers_mut().insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&policy)
                .map_err(|e| AppError::Internal(format!("the display's policy: {e}")))?,
        );
    }
    Ok(page)
}
