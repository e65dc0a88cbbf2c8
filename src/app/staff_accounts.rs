//! Staff accounts kept by administrators: create, edit, deactivate, each checked by the
//! account rules, saved only over the revision the administrator read, and recorded in
//! the audit log with the account before and after.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::app::{audit, password_links};
use crate::domain::ids::{OrganisationId, StaffId};
use crate::domain::organisation::{Role, StaffUser};
use crate::domain::revision::{self, Revision, Stale};
use crate::domain::staff_account::{self, Account, AccountDraft, Known};
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::store::staff_accounts::{self, AccountRecord, Saved};
use crate::store::{self, organisations, DbConnection};

/// The organisation's accounts, by username.
pub fn list(conn: &mut DbConnection, admin: &StaffUser) -> AppResult<Vec<AccountRecord>> {
    Ok(staff_accounts::list(conn, admin.organisation_id)?)
}

/// One account of the administrator's organisation.
pub fn get(conn: &mut DbConnection, admin: &StaffUser, id: StaffId) -> AppResult<AccountRecord> {
    staff_accounts::find(conn, admin.organisation_id, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no staff account {id}")))
}

/// The locations and errands an account of `org` may name.
pub fn known(conn: &mut DbConnection, org: OrganisationId) -> AppResult<(Vec<Slug>, Vec<Slug>)> {
    let locations = organisations::list_locations(conn)?
        .into_iter()
        .filter(|l| l.organisation_id == org)
        .map(|l| l.slug)
        .collect();
    let services = organisations::organisation_services(conn, org)?
        .into_iter()
        .map(|s| s.spec.slug)
        .collect();
    Ok((locations, services))
}

fn checked(
    conn: &mut DbConnection,
    admin: &StaffUser,
    draft: &AccountDraft,
    id: Option<StaffId>,
) -> AppResult<Account> {
    let (locations, services) = known(conn, admin.organisation_id)?;
    let known = Known {
        locations: &locations,
        services: &services,
    };
    let mut account = staff_account::check(draft, known);
    if let Ok(a) = &account {
        if staff_accounts::username_taken(conn, &a.username, id)? {
            account = Err(vec![FieldError::new(
                "username",
                format!("'{}' is taken by another account", a.username),
            )]);
        } else if Some(admin.id) == id && !a.roles.contains(&Role::Admin) {
            // Nobody else may be left who can give it back.
            account = Err(vec![FieldError::new(
                "roles",
                "you cannot take the admin role from yourself",
            )]);
        }
    }
    account.map_err(AppError::invalid_fields)
}

/// Creates an account without a password, and sends it a password-set link when it has an
/// e-mail address and `send_link` asks for one.
pub fn create(
    conn: &mut DbConnection,
    admin: &StaffUser,
    draft: &AccountDraft,
    send_link: bool,
    now: DateTime<Utc>,
) -> AppResult<AccountRecord> {
    store::write(conn, |conn| {
        let account = checked(conn, admin, draft, None)?;
        if send_link && account.email.is_none() {
            return Err(no_address());
        }
        let saved = Saved {
            by: &admin.display_name,
            at: now,
        };
        let id = staff_accounts::insert(conn, admin.organisation_id, &account, saved)?;
        let created = get(conn, admin, id)?;
        audit::record_change(
            conn,
            admin,
            "staff.create",
            &created.username,
            (None, &created),
            now,
        )?;
        if send_link {
            password_links::issue(conn, admin, &created, now)?;
        }
        Ok(created)
    })
}

/// Saves the account read at version `read`; 409 naming who saved it since.
pub fn update(
    conn: &mut DbConnection,
    admin: &StaffUser,
    id: StaffId,
    draft: &AccountDraft,
    read: i32,
    now: DateTime<Utc>,
) -> AppResult<AccountRecord> {
    store::write(conn, |conn| {
        let before = get(conn, admin, id)?;
        fresh(conn, admin.organisation_id, read, &before.revision)?;
        let account = checked(conn, admin, draft, Some(id))?;
        let saved = Saved {
            by: &admin.display_name,
            at: now,
        };
        if !staff_accounts::update(conn, admin.organisation_id, id, &account, read, saved)? {
            return Err(stale_now(conn, admin, id)?);
        }
        let after = get(conn, admin, id)?;
        audit::record_change(
            conn,
            admin,
            "staff.update",
            &after.username,
            (Some(&before), &after),
            now,
        )?;
        Ok(after)
    })
}

/// Deactivates (or, with `active`, reactivates) the account read at version `read`. A
/// deactivated account cannot sign in, and its sessions end at once.
pub fn set_active(
    conn: &mut DbConnection,
    admin: &StaffUser,
    id: StaffId,
    active: bool,
    read: i32,
    now: DateTime<Utc>,
) -> AppResult<AccountRecord> {
    if !active && id == admin.id {
        return Err(AppError::conflict(
            "you cannot deactivate your own account; ask another administrator",
        ));
    }
    store::write(conn, |conn| {
        let before = get(conn, admin, id)?;
        fresh(conn, admin.organisation_id, read, &before.revision)?;
        let saved = Saved {
            by: &admin.display_name,
            at: now,
        };
        if !staff_accounts::set_active(conn, id, active, read, saved)? {
            return Err(stale_now(conn, admin, id)?);
        }
        let after = get(conn, admin, id)?;
        let action = if active {
            "staff.reactivate"
        } else {
            "staff.deactivate"
        };
        audit::record_change(
            conn,
            admin,
            action,
            &after.username,
            (Some(&before), &after),
            now,
        )?;
        Ok(after)
    })
}

/// Sends the account a new password-set link; earlier unused links stop working.
pub fn send_password_link(
    conn: &mut DbConnection,
    admin: &StaffUser,
    id: StaffId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::write(conn, |conn| {
        let account = get(conn, admin, id)?;
        if !account.active {
            return Err(AppError::conflict(format!(
                "{} is deactivated; reactivate the account first",
                account.username
            )));
        }
        if account.email.is_none() {
            return Err(no_address());
        }
        password_links::issue(conn, admin, &account, now)
    })
}

fn no_address() -> AppError {
    AppError::invalid_field(
        "email",
        "the account needs an e-mail address to send the link to",
    )
}

/// Refuses a save read at `read` over `current`, naming who saved in between.
pub fn fresh(
    conn: &mut DbConnection,
    org: OrganisationId,
    read: i32,
    current: &Revision,
) -> AppResult<()> {
    revision::check(read, current).map_err(|stale| stale_error(conn, org, &stale))
}

fn stale_now(conn: &mut DbConnection, admin: &StaffUser, id: StaffId) -> AppResult<AppError> {
    let current = get(conn, admin, id)?.revision;
    let stale = Stale {
        changed_by: current.changed_by,
        changed_at: current.changed_at,
    };
    Ok(stale_error(conn, admin.organisation_id, &stale))
}

/// The 409 of a stale save, naming who saved in between and when.
pub fn stale_error(conn: &mut DbConnection, org: OrganisationId, stale: &Stale) -> AppError {
    crate::app::admin::stale(stale, zone_of(conn, org))
}

/// The wall clock administrators read times on: their first location's.
pub(crate) fn zone_of(conn: &mut DbConnection, org: OrganisationId) -> Tz {
    organisations::list_locations(conn)
        .ok()
        .and_then(|all| all.into_iter().find(|l| l.organisation_id == org))
        .map_or(chrono_tz::Europe::Copenhagen, |l| l.timezone)
}
