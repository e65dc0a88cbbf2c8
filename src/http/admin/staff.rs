//! `/staff/admin/staff`: staff accounts in the browser. The list, a new account, an
//! account's page with its form, the password-set link and deactivation. Plain forms, each
//! carrying the session's CSRF token; the same use cases and checks as the API.

use std::collections::BTreeSet;

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::fields::Fields;
use super::{layout, Admin, AdminForm};
use crate::app::staff_accounts;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::ids::StaffId;
use crate::domain::organisation::Role;
use crate::domain::staff_account::AccountDraft;
use crate::error::{AppError, AppResult};
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

impl Fields {
    /// The account as the form wrote it; a contract that is not a number is kept as a
    /// refusal of its own, in the words the account rules use.
    fn draft(&self) -> (AccountDraft, Option<crate::domain::FieldError>) {
        let raw_hours = self.text("contract_hours");
        let hours = raw_hours
            .as_deref()
            .map(|h| h.replace(',', ".").parse::<f64>());
        let bad_hours = match (&raw_hours, &hours) {
            (Some(raw), Some(Err(_))) => Some(crate::domain::FieldError::new(
                "contract_hours",
                format!("{raw} is not a number of hours a week, like 37 or 18.5"),
            )),
            _ => None,
        };
        let draft = AccountDraft {
            username: self.one("username").unwrap_or_default().to_owned(),
            name: self.one("name").unwrap_or_default().to_owned(),
            email: self.text("email"),
            roles: self.all("roles"),
            locations: self.all("locations"),
            services: self.all("services"),
            home_location: self.text("home_location"),
            contract_hours: hours.and_then(Result::ok),
        };
        (draft, bad_hours)
    }

    fn version(&self) -> i32 {
        self.one("version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    }
}

/// A choice of the form: its value, its words, whether it is ticked.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

/// What the account form shows: the account's values, or what was sent.
#[derive(Debug, Serialize, Default)]
struct Shown {
    username: String,
    name: String,
    email: String,
    home_location: String,
    contract_hours: String,
    roles: Vec<String>,
    locations: Vec<String>,
    services: Vec<String>,
}

impl From<&AccountRecord> for Shown {
    fn from(a: &AccountRecord) -> Self {
        Self {
            username: a.username.clone(),
            name: a.display_name.clone(),
            email: a.email.clone().unwrap_or_default(),
            home_location: a
                .home_location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            contract_hours: figure(f64::from(a.contract_minutes) / 60.0),
            roles: a
                .roles
                .iter()
                .map(|r| <&str>::from(*r).to_owned())
                .collect(),
            locations: a.locations.iter().map(ToString::to_string).collect(),
            services: a.services.iter().map(ToString::to_string).collect(),
        }
    }
}

impl From<&AccountDraft> for Shown {
    fn from(d: &AccountDraft) -> Self {
        Self {
            username: d.username.clone(),
            name: d.name.clone(),
            email: d.email.clone().unwrap_or_default(),
            home_location: d.home_location.clone().unwrap_or_default(),
            contract_hours: d.contract_hours.map(figure).unwrap_or_default(),
            roles: d.roles.clone(),
            locations: d.locations.clone(),
            services: d.services.clone(),
        }
    }
}

fn figure(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("{hours:.0}")
    } else {
        format!("{hours}")
    }
}

/// The words of a role.
fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin_people.role_admin",
        Role::Planner => "admin_people.role_planner",
        Role::Staff => "admin_people.role_staff",
    }
}

/// The choices of the form: roles, locations and errands by name, each ticked as `shown`.
fn choices(state_names: &Names, shown: &Shown, lang: Language) -> Value {
    use strum::VariantArray;
    let roles: Vec<Choice> = Role::VARIANTS
        .iter()
        .map(|r| {
            let value = <&str>::from(*r).to_owned();
            Choice {
                checked: shown.roles.contains(&value),
                label: messages::text(lang, role_key(*r)).to_owned(),
                value,
            }
        })
        .collect();
    let pick = |all: &[(String, String)], ticked: &[String]| -> Vec<Choice> {
        all.iter()
            .map(|(value, label)| Choice {
                value: value.clone(),
                label: label.clone(),
                checked: ticked.contains(value),
            })
            .collect()
    };
    context! {
        roles,
        locations => pick(&state_names.locations, &shown.locations),
        services => pick(&state_names.services, &shown.services),
    }
}

/// The organisation's locations and errands, by slug, with their names in the page's language.
struct Names {
    locations: Vec<(String, String)>,
    services: Vec<(String, String)>,
}

async fn names(state: &web::Data<AppState>, admin: &Admin, lang: Language) -> AppResult<Names> {
    let org = admin.user.organisation_id;
    blocking::run(state, move |conn| {
        let locations = crate::store::organisations::list_locations(conn)?
            .into_iter()
            .filter(|l| l.organisation_id == org)
            .map(|l| (l.slug.to_string(), l.name))
            .collect();
        let services = crate::store::organisations::organisation_services(conn, org)?
            .into_iter()
            .map(|s| (s.spec.slug.to_string(), s.spec.name(lang).to_owned()))
            .collect();
        Ok(Names {
            locations,
            services,
        })
    })
    .await
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

/// The account form: new (`account` is `None`) or an account's page.
struct FormPage<'a> {
    account: Option<&'a AccountRecord>,
    shown: Shown,
    errors: Vec<crate::domain::FieldError>,
    alert: Option<String>,
    notice: Option<&'static str>,
    status: StatusCode,
}

async fn form_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    page: FormPage<'_>,
) -> AppResult<HttpResponse> {
    let names = names(state, admin, lang).await?;
    let errors: Vec<Value> = page
        .errors
        .iter()
        .map(|e| context! { field => e.field.clone(), text => field_text(lang, &e.field) })
        .collect();
    let (id, version, active, has_password) = page.account.map_or((0, 0, true, false), |a| {
        (a.id.0, a.revision.version, a.active, a.has_password)
    });
    let choices = choices(&names, &page.shown, lang);
    let mut response = layout::page(
        "admin_staff_form.html",
        admin,
        lang,
        "staff",
        context! {
            is_new => page.account.is_none(),
            id, version, active, has_password,
            account => page.shown,
            choices,
            errors,
            alert => page.alert,
            notice => page.notice,
        },
    )?;
    *response.status_mut() = page.status;
    Ok(response)
}

/// What to mend in a field, in the page's language.
fn field_text(lang: Language, field: &str) -> String {
    let key = match field {
        "username" => "admin_people.error_username",
        "name" => "admin_people.error_name",
        "email" => "admin_people.error_email",
        "roles" => "admin_people.error_roles",
        "locations" => "admin_people.error_locations",
        "services" => "admin_people.error_services",
        "home_location" => "admin_people.error_home_location",
        "contract_hours" => "admin_people.error_contract_hours",
        _ => "admin_people.error_other",
    };
    messages::text(lang, key).to_owned()
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
    let page = FormPage {
        account: None,
        shown: Shown {
            roles: vec!["staff".into()],
            ..Shown::default()
        },
        errors: Vec::new(),
        alert: None,
        notice: None,
        status: StatusCode::OK,
    };
    form_page(&state, &admin, lang, page).await
}

fn see_other(to: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, to))
        .finish()
}

/// The form again after a refusal: the fields that were wrong, or who saved in between.
async fn refused(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    account: Option<&AccountRecord>,
    shown: Shown,
    error: AppError,
) -> AppResult<HttpResponse> {
    let (errors, alert, status) = match error {
        AppError::Unprocessable { errors, .. } => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        AppError::Conflict { detail, .. } => (
            Vec::new(),
            Some(detail.said.map_or(detail.text, |s| s.text(lang))),
            StatusCode::CONFLICT,
        ),
        other => return Err(other),
    };
    let page = FormPage {
        account,
        shown,
        errors,
        alert,
        notice: None,
        status,
    };
    form_page(state, admin, lang, page).await
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
    let (draft, bad_hours) = form.draft();
    let send_link = form.one("send_link").is_some();
    let shown = Shown::from(&draft);
    if let Some(bad) = bad_hours {
        let error = AppError::invalid(bad.message.clone(), vec![bad]);
        return refused(&state, &admin, lang, None, shown, error).await;
    }
    let (user, now) = (admin.user.clone(), state.clock.now());
    let result = blocking::run(&state, move |conn| {
        staff_accounts::create(conn, &user, &draft, send_link, now)
    })
    .await;
    match result {
        Ok(created) => Ok(see_other(format!(
            "/staff/admin/staff/{}?lang={}&done=created",
            created.id.0,
            lang.code()
        ))),
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
    let page = FormPage {
        account: Some(&found),
        shown: Shown::from(&found),
        errors: Vec::new(),
        alert: None,
        notice: notice(query.done.as_deref()),
        status: StatusCode::OK,
    };
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
    let (draft, bad_hours) = form.draft();
    let shown = Shown::from(&draft);
    if let Some(bad) = bad_hours {
        let error = AppError::invalid(bad.message.clone(), vec![bad]);
        return refused(&state, &admin, lang, Some(&found), shown, error).await;
    }
    let (user, now, version) = (admin.user.clone(), state.clock.now(), form.version());
    let result = blocking::run(&state, move |conn| {
        staff_accounts::update(conn, &user, id, &draft, version, now)
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(format!(
            "/staff/admin/staff/{}?lang={}&done=saved",
            id.0,
            lang.code()
        ))),
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
        Ok(()) => Ok(see_other(format!(
            "/staff/admin/staff/{}?lang={}&done={done}",
            id.0,
            lang.code()
        ))),
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
