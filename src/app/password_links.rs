//! Passwords that their owners choose: a one-time link sent by mail (issued by an
//! administrator, used once within a day), and the change of one's own password.

use chrono::{DateTime, Utc};

use crate::app::audit;
use crate::app::auth::{hash_password, random_token, token_hash, verify_password};
use crate::domain::ids::StaffId;
use crate::domain::message_kind::MessageKind;
use crate::domain::organisation::StaffUser;
use crate::domain::outbox::Owner;
use crate::domain::password_link::{self, LinkState, LIFETIME};
use crate::domain::staff_account::new_password;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::outbox::{self, NewMessage};
use crate::store::password_links::{self as links, LinkRecord};
use crate::store::staff_accounts::{self, AccountRecord};
use crate::store::{self, staff, DbConnection};

/// The event of the mail that carries a link.
pub const MAIL_EVENT: &str = "password_link";

/// What a link's mail is composed from besides its account: which link it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkPayload {
    pub link: i64,
}

/// Makes a link for `account` and queues its mail, in the caller's transaction; the token
/// goes only into the mail, the link keeps its hash. Earlier unused links stop working.
pub(crate) fn issue(
    conn: &mut DbConnection,
    admin: &StaffUser,
    account: &AccountRecord,
    now: DateTime<Utc>,
) -> AppResult<()> {
    links::retire_unused(conn, account.id, now)?;
    let token = random_token();
    let link = links::insert(conn, account.id, &token_hash(&token), now, now + LIFETIME)?;
    let payload = serde_json::to_string(&LinkPayload { link }).expect("a plain struct");
    outbox::enqueue(
        conn,
        &NewMessage {
            kind: MessageKind::Mail,
            owner: Owner::staff_user(account.id),
            event: MAIL_EVENT,
            payload: &payload,
            secret: Some(&token),
            due_at: now,
            sequence: None,
        },
        now,
    )?;
    audit::record(
        conn,
        (Some(admin.id), admin.username.as_str()),
        "staff.password_link",
        Some(&account.username),
        now,
    )
}

/// The usable link of this token, or why it cannot be used: unknown (404), used or
/// expired (409), or its account deactivated (409).
pub fn usable(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<(LinkRecord, StaffUser)> {
    let unknown = || AppError::not_found("there is no such password link");
    let link = links::find(conn, &token_hash(token))?.ok_or_else(unknown)?;
    match password_link::state(link.expires_at, link.used_at, now) {
        LinkState::Usable => {}
        LinkState::Used => {
            return Err(AppError::conflict(
                "the link has been used; ask an administrator for a new one",
            )
            .saying(crate::messages::Said::key("admin_people.link_used")))
        }
        LinkState::Expired => {
            return Err(AppError::conflict(
                "the link has expired; ask an administrator for a new one",
            )
            .saying(crate::messages::Said::key("admin_people.link_expired")))
        }
    }
    let user = staff::find_by_id(conn, link.staff)?.ok_or_else(unknown)?;
    if !user.active {
        return Err(AppError::conflict("the account is deactivated")
            .saying(crate::messages::Said::key("admin_people.link_deactivated")));
    }
    Ok((link, user))
}

fn refused(error: FieldError) -> AppError {
    AppError::invalid_fields(vec![error])
}

/// Sets the password of the link's account, once: a second use, even at the same moment,
/// is refused. Every session of the account ends; it signs in with the new password.
pub fn set_by_link(
    conn: &mut DbConnection,
    token: &str,
    password: &str,
    repeated: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<String> {
    new_password(password, repeated).map_err(refused)?;
    let hash = hash_password(password)?;
    store::write(conn, |conn| {
        let (link, user) = usable(conn, token, now)?;
        if !links::use_once(conn, link.id, now)? {
            return Err(AppError::conflict(
                "the link has been used; ask an administrator for a new one",
            ));
        }
        staff::set_password_hash(conn, user.id, &hash)?;
        links::retire_unused(conn, user.id, now)?;
        staff_accounts::end_other_sessions(conn, user.id, None)?;
        audit::record(
            conn,
            (Some(user.id), user.username.as_str()),
            "password.set_by_link",
            Some(&user.username),
            now,
        )?;
        Ok(user.username)
    })
}

/// Changes the signed-in user's own password: the current one first, the new one twice.
/// Their other sessions end; the one they are using goes on.
pub fn change_own(
    conn: &mut DbConnection,
    user: &StaffUser,
    session_token: &str,
    current: &str,
    password: &str,
    repeated: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let stored = staff::find_by_id(conn, user.id)?
        .and_then(|u| u.password_hash)
        .unwrap_or_default();
    if !verify_password(current, &stored) {
        return Err(refused(FieldError::new(
            "current_password",
            "is not your current password",
        )));
    }
    new_password(password, Some(repeated)).map_err(refused)?;
    let hash = hash_password(password)?;
    store::write(conn, |conn| {
        staff::set_password_hash(conn, user.id, &hash)?;
        links::retire_unused(conn, user.id, now)?;
        staff_accounts::end_other_sessions(conn, user.id, Some(&token_hash(session_token)))?;
        audit::record(
            conn,
            (Some(user.id), user.username.as_str()),
            "password.change",
            Some(&user.username),
            now,
        )
    })
}

/// The account a link's mail goes to, when the link may still be used.
pub(crate) fn mail_target(
    conn: &mut DbConnection,
    staff_id: StaffId,
    link: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<(StaffUser, Option<String>, LinkRecord)>> {
    let Some(link) = links::find_by_id(conn, link)? else {
        return Ok(None);
    };
    if link.staff != staff_id
        || password_link::state(link.expires_at, link.used_at, now) != LinkState::Usable
    {
        return Ok(None);
    }
    let Some(user) = staff::find_by_id(conn, staff_id)? else {
        return Ok(None);
    };
    let email = staff_accounts::find(conn, user.organisation_id, user.id)?.and_then(|a| a.email);
    Ok(Some((user, email, link)))
}
