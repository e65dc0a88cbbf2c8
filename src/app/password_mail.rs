//! The mail that carries a password-set link to a staff member: in Danish, then in
//! English, since an account says nothing of its owner's language. Composed as it goes,
//! and not at all once the link is used, replaced or expired.

use chrono::{DateTime, Utc};
use lettre::Message;

use crate::app::mailer::{recipient, Sender};
use crate::app::password_links::{mail_target, LinkPayload};
use crate::domain::booking::Language;
use crate::error::{AppError, AppResult};
use crate::messages;
use crate::store::outbox::Claimed;
use crate::store::{municipalities, DbConnection};

/// The message for a claimed row, or `None` when the link may no longer be used.
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Message>> {
    let payload: LinkPayload = serde_json::from_str(&item.payload)
        .map_err(|e| AppError::Internal(format!("a password link's payload: {e}")))?;
    let Some(token) = item.secret.as_deref() else {
        return Ok(None);
    };
    let staff = crate::domain::ids::StaffId(item.owner.id);
    let Some((user, Some(email), link)) = mail_target(conn, staff, payload.link, now)? else {
        return Ok(None);
    };
    let url = format!("{public_base}/staff/password/{token}");
    let zone = crate::app::staff_accounts::zone_of(conn, user.organisation_id);
    let part = |lang: Language| {
        let until = messages::day_time(lang, link.expires_at, zone);
        let args = [
            ("name", user.display_name.as_str()),
            ("username", user.username.as_str()),
            ("until", until.as_str()),
        ];
        format!(
            "{}\n\n{}\n{url}\n\n{}\n",
            messages::text_with(lang, "password_mail.lead", &args),
            messages::text(lang, "password_mail.choose"),
            messages::text_with(lang, "password_mail.expires", &args),
        )
    };
    let subject = format!(
        "{} / {}",
        messages::text(Language::Da, "password_mail.subject"),
        messages::text(Language::En, "password_mail.subject")
    );
    let body = format!("{}\n—\n\n{}", part(Language::Da), part(Language::En));
    let from = municipalities::of(conn, user.organisation_id)?;
    let sender = Sender::of(from.as_ref())?;
    sender
        .message()
        .to(recipient(&email)?)
        .subject(subject)
        .body(body)
        .map(Some)
        .map_err(|e| AppError::Internal(format!("composing mail: {e}")))
}
