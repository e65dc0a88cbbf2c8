//! The messages each change queues in the outbox, written in that change's transaction: a
//! booking, a move and a cancellation tell the citizen; joining the waitlist and an offer
//! tell the waiting citizen. The outbox worker sends them.

use chrono::{DateTime, Utc};

use crate::domain::booking::{reminder_due, MailKind, VisitRules};
use crate::domain::message_kind::MessageKind;
use crate::domain::outbox::Owner;
use crate::domain::waitlist::{EntryId, HoldId, WaitlistMailKind};
use crate::store::outbox::{self, NewMessage};
use crate::store::{DbConnection, StoreResult};

/// A change of an appointment that its citizen is told of.
#[derive(Debug, Clone, Copy)]
pub struct AppointmentNews<'a> {
    pub appointment: i64,
    /// A confirmation, a change or a cancellation.
    pub kind: MailKind,
    /// The appointment's time, as it now is.
    pub start: DateTime<Utc>,
    /// The errand's rules: how and when its reminders go.
    pub rules: &'a VisitRules,
    /// Whether the citizen asked for text messages.
    pub sms_opt_in: bool,
    /// The manage token the citizen's request knew, for the mails that carry the full link.
    pub token: Option<&'a str>,
}

/// Queues the news of a change by each of its ways (mail, and SMS where the errand and the
/// citizen want it), and after a booking or a move the reminders by each of theirs.
pub fn appointment_news(
    conn: &mut DbConnection,
    news: &AppointmentNews,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let channels = news.rules.reminder_channels;
    let mut queue = |kind: MailKind, due: DateTime<Utc>, token: Option<&str>| {
        let ways = match kind {
            MailKind::Reminder => channels.reminder_ways(news.sms_opt_in),
            _ => channels.news_ways(news.sms_opt_in),
        };
        ways.into_iter().try_for_each(|way| match way {
            MessageKind::Sms => appointment_sms(conn, news.appointment, kind, due, now),
            _ => appointment_mail(conn, news.appointment, kind, due, token, now),
        })
    };
    queue(news.kind, now, news.token)?;
    if news.kind != MailKind::Cancelled {
        if let Some(due) = reminder_due(news.start, now, news.rules) {
            queue(MailKind::Reminder, due, None)?;
        }
    }
    Ok(())
}

/// Queues an appointment's mail of `kind`, due at `due`; `token` is the manage token the
/// citizen's request knew, for the mails that carry the full link.
pub fn appointment_mail(
    conn: &mut DbConnection,
    appointment: i64,
    kind: MailKind,
    due: DateTime<Utc>,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let message = NewMessage {
        kind: MessageKind::Mail,
        owner: Owner::appointment(appointment),
        event: kind.into(),
        payload: "{}",
        secret: token,
        due_at: due,
    };
    outbox::enqueue(conn, &message, now)
}

/// Queues an appointment's text message of `kind`, due at `due`, for a citizen who gave a
/// mobile number and asked for text messages.
pub fn appointment_sms(
    conn: &mut DbConnection,
    appointment: i64,
    kind: MailKind,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let message = NewMessage {
        kind: MessageKind::Sms,
        owner: Owner::appointment(appointment),
        event: kind.into(),
        payload: "{}",
        secret: None,
        due_at: due,
    };
    outbox::enqueue(conn, &message, now)
}

/// Gives up an appointment's reminders not yet sent, by mail and by SMS (it was cancelled
/// or moved).
pub fn drop_appointment_reminders(
    conn: &mut DbConnection,
    appointment: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let reminder: &'static str = MailKind::Reminder.into();
    outbox::drop_unsent(conn, Owner::appointment(appointment), reminder, now).map(drop)
}

/// What a waitlist mail is composed from besides its entry: the hold an offer is about.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WaitlistPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<i64>,
}

/// Queues a waitlist entry's mail of `kind` now; `token` is the secret of the mail's link.
pub fn waitlist_mail(
    conn: &mut DbConnection,
    entry: EntryId,
    hold: Option<HoldId>,
    kind: WaitlistMailKind,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let payload = serde_json::to_string(&WaitlistPayload {
        hold: hold.map(|h| h.0),
    })
    .expect("a plain struct serialises");
    let message = NewMessage {
        kind: MessageKind::Mail,
        owner: Owner::waitlist_entry(entry),
        event: kind.into(),
        payload: &payload,
        secret: Some(token),
        due_at: now,
    };
    outbox::enqueue(conn, &message, now)
}
