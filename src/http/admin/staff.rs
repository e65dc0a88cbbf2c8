//! `/staff/admin/staff`: staff accounts in the browser. The list, a new account, an
//! account's page with its form, the password-set link and deactivation. Plain forms, each
//! carrying the session's CSRF token; the same use cases and checks as the API. The form
//! itself, what it shows and how it is shown again after a refusal, is [`super::staff_form`].

use std::collections::BTreeSet;

use actix_web::http::header::LOCATION;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::fields::Fields;
use super::staff_form::{form_page, refused, role_key, FormPage, Shown};
use super::{layout, Admin, AdminForm};
use crate::app::staff_accounts;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::ids::StaffId;
use crate::domain::organisation::Role;
use crate::error::AppResult;
use crate::http::blocking;
use crate::http::lang::LangQuery;
use crate::messages;
use crate::store::staff_accounts::AccountRecord;

/// A staff account by its id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AccountPagePath {
    #[param(example = 1)]
    pub id: i64,
}

/// One line of the list.
#[derive(Debug, Serialize)]
struct Line {
    id: i64,
    username: String,
    name: String,
    roles: String,
    active: bool,
    has_password: bool,
}

/// `GET /staff/admin/staff`
#[utoipa::path(get, path = "/staff/admin/staff", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The staff accounts", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator")))]
pub async fn list(
    state: web::Data<AppState>,
    admin: Admin,
    lang: Language,
) -> AppResult<HttpResponse> {
    let user = admin.user.clone();
    let accounts = blocking::run(&state, move |conn| staff_accounts::list(conn, &user)).await?;
    let lines: Vec<Line> = accounts
        .iter()
        .map(|a| Line {
            id: a.id.0,
            username: a.username.clone(),
            name: a.display_name.clone(),
            roles: roles_in_words(&a.roles, lang),
            active: a.active,
            has_password: a.has_password,
        })
        .collect();
    layout::page(
        "admin_staff.html",
        &admin,
        lang,
        "staff",
        context! { accounts => lines },
    )
}

fn roles_in_words(roles: &BTreeSet<Role>, lang: Language) -> String {
    let words: Vec<&str> = roles
        .iter()
        .map(|r| messages::text(lang, role_key(*r)))
        .collect();
    words.join(", ")
}

/// `GET /staff/admin/staff/new`
#[utoipa::path(get, path = "/staff/admin/staff/new", tag = "pages", params(LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The form for a new account", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator")))]
pub async fn new_form(
    state: web::Data<AppState>,
    admin: Admin,
    lang: Language,
) -> AppResult<HttpResponse> {
    let page = FormPage::read(None, Shown::new_account(), None);
    form_page(&state, &admin, lang, page).await
}

/// To the account's page, to say what was just done on it.
fn back_to_account(id: StaffId, lang: Language, done: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            LOCATION,
            format!(
                "/staff/admin/staff/{}?lang={}&done={done}",
                id.0,
                lang.code()
            ),
        ))
        .finish()
}

/// `POST /staff/admin/staff`
#[utoipa::path(post, path = "/staff/admin/staff", tag = "pages", params(LangQuery), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Created: on to the account's page", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 422, description = "the form again with what to mend", content_type = "text/html", body = String)))]
pub async fn create(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let (draft, read) = form.draft();
    let send_link = form.one("send_link").is_some();
    let shown = Shown::from(&draft);
    let (user, now) = (admin.user.clone(), state.clock.now());
    let result = match read {
        Ok(()) => {
            blocking::run(&state, move |conn| {
                staff_accounts::create(conn, &user, &draft, send_link, now)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => Ok(back_to_account(created.id, lang, "created")),
        Err(e) => refused(&state, &admin, lang, None, shown, e).await,
    }
}

/// What was just done on an account's page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DoneQuery {
    /// `created`, `saved`, `link_sent`, `deactivated` or `reactivated`.
    #[param(example = "saved")]
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "created" => "admin_people.done_created",
        "saved" => "admin_people.done_saved",
        "link_sent" => "admin_people.done_link_sent",
        "deactivated" => "admin_people.done_deactivated",
        "reactivated" => "admin_people.done_reactivated",
        _ => return None,
    })
}

async fn account(
    state: &web::Data<AppState>,
    admin: &Admin,
    id: StaffId,
) -> AppResult<AccountRecord> {
    let user = admin.user.clone();
    blocking::run(state, move |conn| staff_accounts::get(conn, &user, id)).await
}

/// `GET /staff/admin/staff/{id}`
#[utoipa::path(get, path = "/staff/admin/staff/{id}", tag = "pages", params(AccountPagePath, DoneQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The account's page", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account")))]
pub async fn show(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<AccountPagePath>,
    query: web::Query<DoneQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let found = account(&state, &admin, StaffId(path.id)).await?;
    let page = FormPage::read(
        Some(&found),
        Shown::from(&found),
        notice(query.done.as_deref()),
    );
    form_page(&state, &admin, lang, page).await
}

/// `POST /staff/admin/staff/{id}`: saves the form, read at its `version`.
#[utoipa::path(post, path = "/staff/admin/staff/{id}", tag = "pages", params(AccountPagePath), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the account's page", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such account"),
        (status = 409, description = "changed by someone else since the form was read: the page says who and when", content_type = "text/html", body = String),
        (status = 422, description = "the form again with what to mend", content_type = "text/html", body = String)))]
pub async fn save(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<AccountPagePath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let id = StaffId(path.id);
    let found = account(&state, &admin, id).await?;
    let (draft, read) = form.draft();
    let shown = Shown::from(&draft);
    let (user, now, version) = (admin.user.clone(), state.clock.now(), form.version());
    let result = match read {
        Ok(()) => {
            blocking::run(&state, move |conn| {
                staff_accounts::update(conn, &user, id, &draft, version, now)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(back_to_account(id, lang, "saved")),
        Err(e) => refused(&state, &admin, lang, Some(&found), shown, e).await,
    }
}

/// `POST /staff/admin/staff/{id}/password-link`
#[utoipa::path(post, path = "/staff/admin/staff/{id}/password-link", tag = "pages", params(AccountPagePath), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "The link is mailed: back to the account's page", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such account"),
        (status = 409, description = "the account is deactivated", content_type = "text/html", body = String),
        (status = 422, description = "the account has no e-mail address", content_type = "text/html", body = String)))]
pub async fn password_link(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<AccountPagePath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let admin = sent.admin;
    let id = StaffId(path.id);
    let (user, now) = (admin.user.clone(), state.clock.now());
    let result = blocking::run(&state, move |conn| {
        staff_accounts::send_password_link(conn, &user, id, now)
    })
    .await;
    after_action(&state, &admin, lang, id, result, "link_sent").await
}

async fn after_action(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    id: StaffId,
    result: AppResult<()>,
    done: &str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(()) => Ok(back_to_account(id, lang, done)),
        Err(e) => {
            let found = account(state, admin, id).await?;
            let shown = Shown::from(&found);
            refused(state, admin, lang, Some(&found), shown, e).await
        }
    }
}

/// `POST /staff/admin/staff/{id}/active`: deactivates the account (`active` absent) or
/// reactivates it (`active=true`), as read at the form's `version`.
#[utoipa::path(post, path = "/staff/admin/staff/{id}/active", tag = "pages", params(AccountPagePath), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Done: back to the account's page", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such account"),
        (status = 409, description = "one's own account, or changed by someone else since the form was read", content_type = "text/html", body = String)))]
pub async fn set_active(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<AccountPagePath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let id = StaffId(path.id);
    let active = form.one("active") == Some("true");
    let (user, now, version) = (admin.user.clone(), state.clock.now(), form.version());
    let result = blocking::run(&state, move |conn| {
        staff_accounts::set_active(conn, &user, id, active, version, now).map(drop)
    })
    .await;
    let done = if active { "reactivated" } else { "deactivated" };
    after_action(&state, &admin, lang, id, result, done).await
}
