//! The administration's API for staff accounts and desks.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::affected::to_choose;
use super::{Admin, AdminJson};
use crate::app::desk_admin::{self, DeskRecord, DeskSaved};
use crate::app::staff_accounts;
use crate::app::AppState;
use crate::domain::closing::BookingsDecision;
use crate::domain::desk_draft::DeskDraft;
use crate::domain::ids::{DeskId, StaffId};
use crate::domain::organisation::{DeskKind, Role};
use crate::domain::revision::Revision;
use crate::domain::staff_account::AccountDraft;
use crate::error::AppResult;
use crate::http::blocking;
use crate::store::staff_accounts::AccountRecord;

/// Who saved a record last; send `version` back with a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub version: i32,
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

impl From<Revision> for RevisionView {
    fn from(r: Revision) -> Self {
        Self {
            version: r.version,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        }
    }
}

/// A staff account as the administration sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
    /// Whether a password is set; the password itself is never shown.
    pub has_password: bool,
    pub roles: Vec<Role>,
    pub locations: Vec<String>,
    pub services: Vec<String>,
    pub home_location: Option<String>,
    pub contract_hours: f64,
    #[serde(flatten)]
    pub revision: RevisionView,
}

impl From<AccountRecord> for AccountView {
    fn from(a: AccountRecord) -> Self {
        Self {
            id: a.id.0,
            username: a.username,
            name: a.display_name,
            email: a.email,
            active: a.active,
            has_password: a.has_password,
            roles: a.roles.into_iter().collect(),
            locations: a.locations.into_iter().map(String::from).collect(),
            services: a.services.into_iter().map(String::from).collect(),
            home_location: a.home_location.map(String::from),
            contract_hours: f64::from(a.contract_minutes) / 60.0,
            revision: a.revision.into(),
        }
    }
}

/// A new account; `send_password_link` mails it a link to choose its password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    #[serde(flatten)]
    pub account: AccountDraft,
    #[serde(default)]
    pub send_password_link: bool,
}

/// A change of an account, made from the reading at `version`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AccountChange {
    #[serde(flatten)]
    pub account: AccountDraft,
    pub version: i32,
}

/// The version a change was read at.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VersionBody {
    pub version: i32,
}

/// A staff account by its id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AccountPath {
    #[param(example = 1)]
    pub id: i64,
}

/// The organisation's staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/staff", tag = "admin", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [AccountView]), (status = 403, description = "not an administrator")))]
pub async fn list(
    state: web::Data<AppState>,
    admin: Admin,
) -> AppResult<web::Json<Vec<AccountView>>> {
    let admin = admin.user.clone();
    let all = blocking::run(&state, move |conn| staff_accounts::list(conn, &admin)).await?;
    Ok(web::Json(all.into_iter().map(AccountView::from).collect()))
}

/// Create a staff account without a password; with `send_password_link` its owner is
/// mailed a link to choose one.
#[utoipa::path(post, path = "/api/v1/admin/staff", tag = "admin", request_body = NewAccount, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 201, body = AccountView), (status = 403, description = "not an administrator"),
        (status = 422, description = "a field is not valid: named in `errors`")))]
pub async fn create(
    state: web::Data<AppState>,
    sent: AdminJson<NewAccount>,
) -> AppResult<HttpResponse> {
    let (admin, body) = (sent.admin, sent.body);
    let NewAccount {
        account,
        send_password_link,
    } = body;
    let (admin, now) = (admin.user.clone(), state.clock.now());
    let created = blocking::run(&state, move |conn| {
        staff_accounts::create(conn, &admin, &account, send_password_link, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(AccountView::from(created)))
}

/// One staff account.
#[utoipa::path(get, path = "/api/v1/admin/staff/{id}", tag = "admin", params(AccountPath), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AccountView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account")))]
pub async fn show(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<AccountPath>,
) -> AppResult<web::Json<AccountView>> {
    let (admin, id) = (admin.user.clone(), StaffId(path.id));
    let account = blocking::run(&state, move |conn| staff_accounts::get(conn, &admin, id)).await?;
    Ok(web::Json(account.into()))
}

/// Change a staff account, as read at `version`; 409 when someone saved it since.
#[utoipa::path(put, path = "/api/v1/admin/staff/{id}", tag = "admin", params(AccountPath), request_body = AccountChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = AccountView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account"),
        (status = 409, description = "changed by someone else since `version`: who and when in `changed_by`, `changed_at`"),
        (status = 422, description = "a field is not valid: named in `errors`")))]
pub async fn update(
    state: web::Data<AppState>,
    sent: AdminJson<AccountChange>,
    path: web::Path<AccountPath>,
) -> AppResult<web::Json<AccountView>> {
    let (admin, body) = (sent.admin, sent.body);
    let AccountChange { account, version } = body;
    let (admin, id, now) = (admin.user.clone(), StaffId(path.id), state.clock.now());
    let saved = blocking::run(&state, move |conn| {
        staff_accounts::update(conn, &admin, id, &account, version, now)
    })
    .await?;
    Ok(web::Json(saved.into()))
}

async fn set_active(
    state: web::Data<AppState>,
    admin: Admin,
    id: StaffId,
    active: bool,
    version: i32,
) -> AppResult<web::Json<AccountView>> {
    let (admin, now) = (admin.user.clone(), state.clock.now());
    let saved = blocking::run(&state, move |conn| {
        staff_accounts::set_active(conn, &admin, id, active, version, now)
    })
    .await?;
    Ok(web::Json(saved.into()))
}

/// Deactivate a staff account: it can no longer sign in, and its sessions end at once.
#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/deactivate", tag = "admin", params(AccountPath), request_body = VersionBody, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = AccountView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account"),
        (status = 409, description = "one's own account, or changed by someone else since `version`")))]
pub async fn deactivate(
    state: web::Data<AppState>,
    sent: AdminJson<VersionBody>,
    path: web::Path<AccountPath>,
) -> AppResult<web::Json<AccountView>> {
    let (admin, body) = (sent.admin, sent.body);
    set_active(state, admin, StaffId(path.id), false, body.version).await
}

/// Reactivate a deactivated staff account.
#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/reactivate", tag = "admin", params(AccountPath), request_body = VersionBody, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = AccountView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account"),
        (status = 409, description = "changed by someone else since `version`")))]
pub async fn reactivate(
    state: web::Data<AppState>,
    sent: AdminJson<VersionBody>,
    path: web::Path<AccountPath>,
) -> AppResult<web::Json<AccountView>> {
    let (admin, body) = (sent.admin, sent.body);
    set_active(state, admin, StaffId(path.id), true, body.version).await
}

/// Mail the account a link to choose its password (valid once, for 24 hours); earlier
/// unused links stop working.
#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/password-link", tag = "admin", params(AccountPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 202, description = "the mail is queued"), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such account"),
        (status = 409, description = "the account is deactivated"),
        (status = 422, description = "the account has no e-mail address")))]
pub async fn password_link(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<AccountPath>,
) -> AppResult<HttpResponse> {
    let (admin, id, now) = (admin.user.clone(), StaffId(path.id), state.clock.now());
    blocking::run(&state, move |conn| {
        staff_accounts::send_password_link(conn, &admin, id, now)
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// A desk as the administration sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdminDeskView {
    pub id: i64,
    pub location: String,
    pub name: String,
    pub kind: DeskKind,
    pub services: Vec<String>,
    pub out_of_order: bool,
    #[serde(flatten)]
    pub revision: RevisionView,
}

impl From<DeskRecord> for AdminDeskView {
    fn from(d: DeskRecord) -> Self {
        Self {
            id: d.id.0,
            location: d.location,
            name: d.name,
            kind: d.kind,
            services: d.services,
            out_of_order: d.out_of_order,
            revision: d.revision.into(),
        }
    }
}

/// A change of a desk, made from the reading at `version`, with the choice for the
/// confirmed bookings it would leave without a desk.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DeskChange {
    #[serde(flatten)]
    pub desk: DeskDraft,
    #[serde(flatten)]
    pub decision: BookingsDecision,
}

/// A desk as just saved, with what became of the bookings it left without a desk.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeskSavedView {
    #[serde(flatten)]
    pub desk: AdminDeskView,
    /// References of the bookings cancelled, each citizen sent one apology.
    pub cancelled: Vec<String>,
    /// References of the bookings kept without a desk, marked as kept despite a change.
    pub kept: Vec<String>,
}

/// A location by its slug.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AdminLocationPath {
    #[param(example = "raadhuset")]
    pub location: String,
}

/// A desk by its id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AdminDeskPath {
    #[param(example = 1)]
    pub desk: i64,
}

/// The desks of a location, out of order ones too.
#[utoipa::path(get, path = "/api/v1/admin/locations/{location}/desks", tag = "admin", params(AdminLocationPath), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [AdminDeskView]), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn desks(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<AdminLocationPath>,
) -> AppResult<web::Json<Vec<AdminDeskView>>> {
    let (admin, location) = (admin.user.clone(), path.into_inner().location);
    let all = blocking::run(&state, move |conn| {
        desk_admin::list(conn, &admin, &location)
    })
    .await?;
    Ok(web::Json(
        all.into_iter().map(AdminDeskView::from).collect(),
    ))
}

/// Add a desk to a location; it starts closed.
#[utoipa::path(post, path = "/api/v1/admin/locations/{location}/desks", tag = "admin", params(AdminLocationPath), request_body = DeskDraft, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 201, body = AdminDeskView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location"),
        (status = 422, description = "a field is not valid: named in `errors`")))]
pub async fn create_desk(
    state: web::Data<AppState>,
    sent: AdminJson<DeskDraft>,
    path: web::Path<AdminLocationPath>,
) -> AppResult<HttpResponse> {
    let (admin, body) = (sent.admin, sent.body);
    let (admin, location, now) = (
        admin.user.clone(),
        path.into_inner().location,
        state.clock.now(),
    );
    let draft = body;
    let created = blocking::run(&state, move |conn| {
        desk_admin::create(conn, &admin, &location, &draft, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(AdminDeskView::from(created)))
}

/// Change a desk, as read at `version`; out of order closes it and keeps it from the
/// console. 409 when someone saved it since; 422 naming `bookings` and listing the
/// `affected` bookings while the change leaves confirmed bookings without a desk and no
/// choice was made for them.
#[utoipa::path(put, path = "/api/v1/admin/desks/{desk}", tag = "admin", params(AdminDeskPath), request_body = DeskChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = DeskSavedView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such desk"),
        (status = 409, description = "changed by someone else since `version`: who and when in `changed_by`, `changed_at`"),
        (status = 422, description = "a field is not valid: named in `errors`; or bookings stand in the way")))]
pub async fn update_desk(
    state: web::Data<AppState>,
    sent: AdminJson<DeskChange>,
    path: web::Path<AdminDeskPath>,
) -> AppResult<web::Json<DeskSavedView>> {
    let (admin, body) = (sent.admin, sent.body);
    let DeskChange { desk, decision } = body;
    let (admin, id, now) = (admin.user.clone(), DeskId(path.desk), state.clock.now());
    let saved = blocking::run(&state, move |conn| {
        desk_admin::update(conn, &admin, id, &desk, &decision, now)
    })
    .await?;
    match saved {
        DeskSaved::Done {
            desk,
            cancelled,
            kept,
        } => Ok(web::Json(DeskSavedView {
            desk: desk.into(),
            cancelled,
            kept,
        })),
        DeskSaved::Choose(ask) => Err(to_choose(ask)),
    }
}
