//! Mail to waitlisted citizens, Danish or English by the entry's language: that they are on
//! the list (with the link to leave it), and that a time is held for them (with the link to
//! claim it). Queued in the outbox with every other message, and sent by its worker.

use chrono::{DateTime, Utc};
use lettre::Message;

use crate::app::mailer::{recipient, Sender};
use crate::app::message_queue::WaitlistPayload;
use crate::app::visit::errand_names;
use crate::app::waitlist_offers::entry_visit;
use crate::domain::booking::Language;
use crate::domain::organisation::{parse_choice, Location};
use crate::domain::waitlist::{hold_counts, EntryId, HoldId, WaitlistMailKind};
use crate::error::{AppError, AppResult};
use crate::store::outbox::Claimed;
use crate::store::waitlist::{self as rows, EntryRecord};
use crate::store::{organisations, DbConnection};

/// The message for a row, or `None` when it should no longer go (an offer whose hold has
/// lapsed or been claimed, an entry whose address retention removed).
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Message>> {
    let kind: WaitlistMailKind = parse_choice(&item.event).map_err(AppError::Internal)?;
    let payload: WaitlistPayload = serde_json::from_str(&item.payload)
        .map_err(|e| AppError::Internal(format!("a waitlist mail's payload: {e}")))?;
    let Some(entry) = rows::entry_by_id(conn, EntryId(item.owner.id))? else {
        return Ok(None);
    };
    let (Some(email), Some(token)) = (entry.citizen_email.clone(), item.secret.as_deref()) else {
        return Ok(None);
    };
    let location = organisations::location_and_service(conn, entry.location, entry.service)?.0;
    // Every errand of the visit by name: `2 × Pas, Sundhedskort`.
    let visit = entry_visit(conn, &entry, &location)?;
    let name = errand_names(&visit.lines, entry.language);
    let texts = match kind {
        WaitlistMailKind::Joined => {
            let link = format!(
                "{public_base}/waitlist/{}/leave?token={token}",
                entry.reference
            );
            joined_texts(&entry, &location, &name, &link)
        }
        WaitlistMailKind::Offer => {
            let Some(hold) = rows::latest_hold(conn, entry.id)? else {
                return Ok(None);
            };
            if Some(hold.id) != payload.hold.map(HoldId)
                || !hold_counts(hold.status, hold.expires_at, now)
            {
                return Ok(None);
            }
            let link = format!(
                "{public_base}/waitlist/{}/offer?token={token}",
                entry.reference
            );
            let held = Held {
                start: hold.starts_at,
                until: hold.expires_at,
            };
            offer_texts(&entry, &location, &name, held, &link)
        }
    };
    let from = crate::store::municipalities::of(conn, location.organisation_id)?;
    let sender = Sender::of(from.as_ref())?;
    compose(&sender, &email, texts).map(Some)
}

/// A mail's subject and plain-text body.
pub struct Texts {
    pub subject: String,
    pub body: String,
}

/// "You are on the waitlist", with the dates and the link to leave.
pub fn joined_texts(
    entry: &EntryRecord,
    location: &Location,
    name: &str,
    leave_link: &str,
) -> Texts {
    let en = entry.language == Language::En;
    let dates = format!(
        "{} – {}",
        entry.range.from.format("%d-%m-%Y"),
        entry.range.to.format("%d-%m-%Y")
    );
    let place = format!("{}, {}", location.name, location.address);
    let (subject, lead, leave) = if en {
        (
            format!("You are on the waitlist: {name}"),
            "You are on the waitlist. When a time in these dates comes free, we hold it for you and write to you.",
            "Leave the waitlist",
        )
    } else {
        (
            format!("Du er på ventelisten: {name}"),
            "Du er skrevet på ventelisten. Bliver en tid i disse dage ledig, holder vi den til dig og skriver til dig.",
            "Afmeld ventelisten",
        )
    };
    let body = format!(
        "{lead}\n\n{name}\n{dates}\n{place}\nReference: {}\n\n{leave}: {leave_link}\n",
        entry.reference
    );
    Texts { subject, body }
}

/// A held time: when it starts and until when it is held.
#[derive(Debug, Clone, Copy)]
pub struct Held {
    pub start: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// "A time is held for you until …", with the link to claim it.
pub fn offer_texts(
    entry: &EntryRecord,
    location: &Location,
    name: &str,
    held: Held,
    claim_link: &str,
) -> Texts {
    let en = entry.language == Language::En;
    let zone = location.timezone;
    let when = held.start.with_timezone(&zone).format("%d-%m-%Y %H:%M");
    let until = held.until.with_timezone(&zone).format("%d-%m-%Y %H:%M");
    let place = format!("{}, {}", location.name, location.address);
    let (subject, lead, claim) = if en {
        (
            format!("A time for you: {name} {when}"),
            format!("A time has come free, and we hold it for you until {until}. After that it goes to the next on the waitlist."),
            "Book the time",
        )
    } else {
        (
            format!("Ledig tid til dig: {name} {when}"),
            format!("En tid er blevet ledig, og vi holder den til dig til {until}. Derefter går den videre til den næste på ventelisten."),
            "Bestil tiden",
        )
    };
    let body = format!(
        "{lead}\n\n{name}\n{when}\n{place}\nReference: {}\n\n{claim}: {claim_link}\n",
        entry.reference
    );
    Texts { subject, body }
}

fn compose(sender: &Sender, to: &str, texts: Texts) -> AppResult<Message> {
    let bad = |e: String| AppError::Internal(format!("composing mail: {e}"));
    sender
        .message()
        .to(recipient(to)?)
        .subject(texts.subject)
        .body(texts.body)
        .map_err(|e| bad(e.to_string()))
}
