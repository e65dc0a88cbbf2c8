//! The audit log: who did what, when. Staff actions are recorded by the queue as they
//! happen; administrative changes are recorded here.

use chrono::{DateTime, Duration, Utc};

use crate::app::kpi::parse_day;
use crate::domain::audit_kind::AuditKind;
use crate::domain::ids::StaffId;
use crate::domain::organisation::{Role, StaffUser};
use crate::error::{AppError, AppResult};
use crate::store::audit::{self, Entry, NewEntry};
use crate::store::DbConnection;

/// Who may read the audit log.
pub const AUDIT_ROLES: &[Role] = crate::app::admin::ADMIN_ROLES;

/// The most lines one answer carries; a longer period is read in parts.
pub const MAX_ENTRIES: i64 = 10_000;

/// The actor of changes made on the server's command line.
pub const CLI: &str = "cli";

/// Records an administrative change (an import, a password set, a roster published).
pub fn record(
    conn: &mut DbConnection,
    actor: (Option<StaffId>, &str),
    action: &str,
    subject: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    audit::record(
        conn,
        &NewEntry {
            at: now,
            staff: actor.0,
            actor: actor.1,
            action,
            subject,
            detail: None,
            before: None,
            after: None,
        },
    )?;
    Ok(())
}

/// A change made in the administration: what was changed (`subject`), how it was and how
/// it became, and what else came of it (`detail`).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub action: &'a str,
    pub subject: &'a str,
    pub before: &'a str,
    pub after: &'a str,
    pub detail: Option<&'a str>,
}

/// Records an administrator's change with its before and after as the organisation file's
/// lines, which the audit page shows as what changed.
pub fn record_file_change(
    conn: &mut DbConnection,
    by: &StaffUser,
    change: &Change,
    now: DateTime<Utc>,
) -> AppResult<()> {
    audit::record(
        conn,
        &NewEntry {
            at: now,
            staff: Some(by.id),
            actor: &by.username,
            action: change.action,
            subject: Some(change.subject),
            detail: change.detail,
            before: Some(change.before),
            after: Some(change.after),
        },
    )?;
    Ok(())
}

/// Records an administrator's change of `subject` with the record before it (`None` for a
/// record created) and after it, each as TOML lines, which the audit page shows as what
/// changed, as it does a location's file lines.
pub fn record_change<T: serde::Serialize>(
    conn: &mut DbConnection,
    actor: &StaffUser,
    action: &str,
    subject: &str,
    change: (Option<&T>, &T),
    now: DateTime<Utc>,
) -> AppResult<()> {
    record_change_with(conn, actor, action, subject, change, None, now)
}

/// [`record_change`] with a detail: what became of the bookings the change affected.
pub fn record_change_with<T: serde::Serialize>(
    conn: &mut DbConnection,
    actor: &StaffUser,
    action: &str,
    subject: &str,
    (before, after): (Option<&T>, &T),
    detail: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let lines = |record: &T| {
        toml::to_string(record)
            .map_err(|e| AppError::Internal(format!("{subject} as audit lines: {e}")))
    };
    let before = before.map(lines).transpose()?.unwrap_or_default();
    let change = Change {
        action,
        subject,
        before: &before,
        after: &lines(after)?,
        detail: detail.as_deref(),
    };
    record_file_change(conn, actor, &change, now)
}

/// The actor of security events that no signed-in user caused (a failed sign-in).
pub const ANONYMOUS: &str = "anonymous";

/// Records a security event: `subject` names the account concerned, when there is one;
/// `detail` says what happened and from where. Never a password.
pub fn record_security(
    conn: &mut DbConnection,
    action: &str,
    subject: Option<&str>,
    detail: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    audit::record(
        conn,
        &NewEntry {
            at: now,
            staff: None,
            actor: ANONYMOUS,
            action,
            subject,
            detail: Some(detail),
            before: None,
            after: None,
        },
    )?;
    Ok(())
}

/// What part of the audit to read: the UTC days `from`..=`to`, only what `who` (a username)
/// did, only lines of `kind`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub who: Option<&'a str>,
    pub kind: Option<AuditKind>,
}

/// The lines of the audit that `filter` asks for, oldest first.
pub fn read(conn: &mut DbConnection, filter: &AuditFilter) -> AppResult<Vec<Entry>> {
    let entries = list(conn, filter.from, filter.to)?;
    Ok(entries
        .into_iter()
        .filter(|e| filter.who.is_none_or(|who| e.actor == who))
        .filter(|e| {
            filter
                .kind
                .is_none_or(|kind| AuditKind::of(&e.action) == kind)
        })
        .collect())
}

/// Who can appear in the audit: `(username, display name)`, by name.
pub fn actors(conn: &mut DbConnection) -> AppResult<Vec<(String, String)>> {
    Ok(audit::actors(conn)?)
}

/// The audit of the UTC days `from`..=`to`.
pub fn list(
    conn: &mut DbConnection,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Vec<Entry>> {
    let from = parse_day("from", from)?;
    let to = parse_day("to", to)?;
    if to < from {
        return Err(AppError::invalid_field(
            "to",
            format!("{to} is before from ({from})"),
        ));
    }
    let start = from.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let end = (to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    Ok(audit::between(conn, start, end, MAX_ENTRIES)?)
}
