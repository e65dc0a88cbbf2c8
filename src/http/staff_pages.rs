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
use super::session::{session_cookie, StaffPage};
use super::{blocking, form_guard, headers, input};
use super::{console_view, return_to, staff_layout};
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
#[utoipa::path(get, path = "/staff/login", tag = "pages", params(LangQuery, NextQuery),
    responses((status = 200, description = "The sign-in form", content_type = "text/html", body = String)))]
pub async fn login_form(lang: Language, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    let next = return_to::same_site(query.next.as_deref());
    login_page(lang, next, None, StatusCode::OK)
}

/// Where the sign-in form returns to.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct NextQuery {
    /// A path of this site to return to after signing in (the console when left out).
    #[param(example = "/staff/planner")]
    next: Option<String>,
}

fn login_page(
    lang: Language,
    next: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let form_token = form_guard::token();
    let mut page = render(
        "login.html",
        context! { lang, next, form_token => form_token.clone(), error },
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
    /// The page to return to: a path of this site, else the console.
    #[serde(default)]
    next: Option<String>,
}

/// `POST /staff/login`: signs in and returns to the page the browser came from (`next`,
/// a path of this site) or the console; a wrong password shows the form again with the
/// reason.
#[utoipa::path(post, path = "/staff/login", tag = "pages", request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Signed in: on to `next` or the console, with the session cookie",
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
        next,
    } = form.into_inner();
    let lang = lang::of_form(chosen.as_deref(), lang);
    form_guard::check(&req, &form_token)?;
    let now = state.clock.now();
    let client = req.peer_addr().map(|peer| peer.ip());
    let result = blocking::run(&state, move |conn| {
        auth::login(conn, &username, &password, client, now)
    })
    .await;
    let next = return_to::same_site(next.as_deref());
    match result {
        Ok(session) => signed_in(&state, session.token, next, lang),
        Err(refused) => refused_sign_in(refused, lang, next),
    }
}

/// On to `next` (or the console), with the session's cookie.
fn signed_in(
    state: &AppState,
    token: String,
    next: Option<&str>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let mut response = see_other(&return_to::after_sign_in(next, lang));
    response
        .add_cookie(&session_cookie(state, token))
        .map_err(|e| AppError::Internal(format!("setting the session cookie: {e}")))?;
    Ok(response)
}

/// The form again, saying why the sign-in was refused; other errors pass on.
fn refused_sign_in(error: AppError, lang: Language, next: Option<&str>) -> AppResult<HttpResponse> {
    match error {
        AppError::RateLimited {
            retry_after_seconds,
            ..
        } => {
            let seconds = retry_after_seconds.to_string();
            let text = messages::text_with(lang, "error.login_throttled", &[("seconds", &seconds)]);
            let mut page = login_page(lang, next, Some(&text), StatusCode::TOO_MANY_REQUESTS)?;
            page.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_seconds),
            );
            Ok(page)
        }
        AppError::Unauthorized(_) => login_page(
            lang,
            next,
            Some(messages::text(lang, "error.login_wrong")),
            StatusCode::UNAUTHORIZED,
        ),
        other => Err(other),
    }
}

#[derive(Serialize)]
struct LocationChoice {
    slug: String,
    name: String,
}

impl From<crate::domain::organisation::Location> for LocationChoice {
    fn from(l: crate::domain::organisation::Location) -> Self {
        Self {
            slug: l.slug.to_string(),
            name: l.name,
        }
    }
}

/// `GET /staff`: the desk console, or the sign-in form for a browser without a session.
#[utoipa::path(get, path = "/staff", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The desk console", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String)))))]
pub async fn console(
    state: web::Data<AppState>,
    session: StaffPage,
    lang: Language,
) -> AppResult<HttpResponse> {
    let user = session.user.clone();
    let locations = blocking::run(&state, move |conn| catalogue::workplaces(conn, &user)).await?;
    let choices: Vec<LocationChoice> = locations.into_iter().map(LocationChoice::from).collect();
    render(
        "console.html",
        context! {
            lang,
            page => "console",
            staff => staff_layout::chrome(&session, lang),
            user_key => session.user.id.0,
            texts => serde_json::to_string(&console_view::script_texts(lang)).unwrap_or_default(),
            locations => choices,
        },
    )
}

/// `?sound=on` on the call display: a wall screen whose browser allows autoplay.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DisplayQuery {
    /// `on`: chime and speak from the start, without a click.
    #[param(example = "on")]
    sound: Option<String>,
}

/// `GET /locations/{location}/display`: the call display for the waiting room's screen.
#[utoipa::path(get, path = "/locations/{location}/display", tag = "pages",
    params(LocationPath, LangQuery, DisplayQuery),
    responses((status = 200, description = "The call display for the waiting room's screen", content_type = "text/html", body = String),
        (status = 404, description = "no such location")))]
pub async fn display(
    state: web::Data<AppState>,
    location: web::Path<String>,
    query: web::Query<DisplayQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let location = blocking::run(&state, move |conn| catalogue::location(conn, &location)).await?;
    let sound = query
        .sound
        .as_deref()
        .filter(|s| *s == "on")
        .unwrap_or("off");
    let mut page = render(
        "display.html",
        context! {
            lang,
            sound,
            texts => display_texts(lang).to_string(),
            location_slug => location.slug.to_string(),
            location => location.name,
        },
    )?;
    embeddable(&mut page, &state.edge.display_frame_ancestors)?;
    Ok(page)
}

/// The one page a municipality may embed (its own screens' page): by whom is a setting;
/// when no one may, the policy of every other page holds.
fn embeddable(page: &mut HttpResponse, ancestors: &str) -> AppResult<()> {
    if ancestors != "'none'" {
        let policy = headers::content_security_policy(ancestors);
        page.headers_mut().insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&policy)
                .map_err(|e| AppError::Internal(format!("the display's policy: {e}")))?,
        );
    }
    Ok(())
}

/// What the display's script says: the spoken call in both languages, the rest in the
/// page's.
fn display_texts(lang: Language) -> serde_json::Value {
    serde_json::json!({
        "say_da": messages::text(Language::Da, "display.js_say"),
        "say_en": messages::text(Language::En, "display.js_say"),
        "waiting_n": messages::text(lang, "display.js_waiting_n"),
        "nobody_waits": messages::text(lang, "display.nobody_waits"),
    })
}
