//! The audit log for administrators.

use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::session::StaffSession;
use crate::app::audit::{self, AUDIT_ROLES};
use crate::app::AppState;
use crate::error::AppResult;
use crate::store::audit::Entry;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// First UTC date, `YYYY-MM-DD`.
    #[param(format = Date, example = "2027-03-29")]
    pub from: Option<String>,
    /// Last UTC date (included).
    #[param(format = Date, example = "2027-03-29")]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    pub at: DateTime<Utc>,
    /// A username, or `cli` for the server's command line.
    pub actor: String,
    /// `open`, `paused`, `closed`, `call`, `start`, `finish`, `no_show`, `transfer`, …,
    /// `import`, `set_password`.
    pub action: String,
    pub location: Option<String>,
    pub desk: Option<String>,
    pub ticket: Option<String>,
    pub subject: Option<String>,
    pub detail: Option<String>,
    /// An administrative change's thing as it was, in the organisation file's words.
    pub before: Option<String>,
    /// … and as it became.
    pub after: Option<String>,
}

impl From<Entry> for AuditEntryView {
    fn from(e: Entry) -> Self {
        Self {
            at: e.at,
            actor: e.actor,
            action: e.action,
            location: e.location,
            desk: e.desk,
            ticket: e.ticket,
            subject: e.subject,
            detail: e.detail,
            before: e.before,
            after: e.after,
        }
    }
}

/// Staff actions and administrative changes of a period, oldest first (admin only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "staff", params(AuditQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [AuditEntryView]), (status = 403, description = "not an administrator"),
        (status = 422, description = "a bad date or period, named in `errors`")))]
pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<AuditQuery>,
) -> AppResult<web::Json<Vec<AuditEntryView>>> {
    session.require(AUDIT_ROLES)?;
    let AuditQuery { from, to } = query.into_inner();
    let entries = blocking::run(&state, move |conn| {
        audit::list(conn, from.as_deref(), to.as_deref())
    })
    .await?;
    Ok(web::Json(entries.into_iter().map(Into::into).collect()))
}
