//! The one short mail after a finished visit, for a citizen who asked for it when booking:
//! a link to the ticket's feedback question. Composed as it goes, and not at all once the
//! question is answered, the visit reopened, or the address gone with retention.

use chrono::{DateTime, Utc};
use lettre::message::MultiPart;
use lettre::Message;

use crate::app::mail_html::{self, MailView};
use crate::app::mailer::{recipient, Sender};
use crate::error::{AppError, AppResult};
use crate::messages;
use crate::store::outbox::Claimed;
use crate::store::{appointments, municipalities, organisations, DbConnection};

/// The outbox event of the mail; it belongs to the booking, its payload names the ticket.
pub const EVENT: &str = "feedback";

/// Which visit the mail asks about.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FeedbackPayload {
    /// The ticket's public id, as its status page is addressed.
    pub ticket: String,
}

/// The message for a claimed row, or `None` when it should no longer go.
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    public_base: &str,
    _now: DateTime<Utc>,
) -> AppResult<Option<Message>> {
    let payload: FeedbackPayload = serde_json::from_str(&item.payload)
        .map_err(|e| AppError::Internal(format!("a feedback mail's payload: {e}")))?;
    let Some(record) = appointments::find_by_id(conn, item.owner.id)? else {
        return Ok(None);
    };
    let Some(email) = record.citizen_email.clone() else {
        return Ok(None);
    };
    if !crate::app::feedback::asks(conn, &payload.ticket)? {
        return Ok(None);
    }
    let (location, _) = organisations::location_and_service(conn, record.location, record.service)?;
    let lang = record.language;
    let t = |key: &str| messages::text(lang, key).to_owned();
    let subject = t("feedback_mail.subject");
    let lead = messages::text_with(lang, "feedback_mail.lead", &[("place", &location.name)]);
    let link = format!(
        "{public_base}/tickets/{}?lang={}",
        payload.ticket,
        lang.code()
    );
    let button = (t("feedback_mail.answer"), link);
    let from = municipalities::of(conn, location.organisation_id)?;
    let mut closing = vec![t("feedback_mail.why"), t("mail.regards")];
    if let Some(from) = &from {
        closing.push(from.mail_from_name.clone());
    }
    let body = format!(
        "{lead}\n\n{}: {}\n\n{}\n",
        button.0,
        button.1,
        closing.join("\n")
    );
    let html = mail_html::render(&MailView {
        lang: lang.code(),
        title: subject.clone(),
        lead,
        facts: Vec::new(),
        map: None,
        button: Some(button),
        code: None,
        closing,
    });
    let sender = Sender::of(from.as_ref())?;
    sender
        .message()
        .to(recipient(&email)?)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(body, html))
        .map(Some)
        .map_err(|e| AppError::Internal(format!("composing mail: {e}")))
}
