//! The messages each change queues in the outbox, written in that change's transaction: a
//! booking, a move and a cancellation tell the citizen; joining the waitlist and an offer
//! tell the waiting citizen; the events an organisation's webhook endpoints asked for tell
//! them. The outbox worker sends them.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::domain::booking::{reminder_due, MailKind, VisitRules};
use crate::domain::ids::OrganisationId;
use crate::domain::message_kind::MessageKind;
use crate::domain::organisation::{Location, Service};
use crate::domain::outbox::Owner;
use crate::domain::waitlist::{EntryId, HoldId, WaitlistMailKind};
use crate::domain::webhook::WebhookEvent;
use crate::store::outbox::{self, NewMessage};
use crate::store::tickets::TicketRecord;
use crate::store::{organisations, webhooks, DbConnection, StoreResult};

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
        sequence: None,
    };
    outbox::enqueue(conn, &message, now)
}

/// Queues the one mail after a finished visit that asks how it went, for the citizen of
/// `appointment` who asked for it; `ticket` is the visit's public id.
pub fn feedback_mail(
    conn: &mut DbConnection,
    appointment: i64,
    ticket: &str,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let payload = serde_json::to_string(&crate::app::feedback_mail::FeedbackPayload {
        ticket: ticket.to_owned(),
    })
    .expect("a payload of text");
    let message = NewMessage {
        kind: MessageKind::Mail,
        owner: Owner::appointment(appointment),
        event: crate::app::feedback_mail::EVENT,
        payload: &payload,
        secret: None,
        due_at: due,
        sequence: None,
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
        sequence: None,
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
    outbox::drop_unsent(conn, Owner::appointment(appointment), Some(reminder), now).map(drop)
}

/// What the mail of a booking the office cancelled says besides the booking: why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApologyPayload {
    pub reason: String,
}

/// Queues the one mail that tells a citizen that the office cancelled their booking, why,
/// and where to book again or join the waitlist.
pub fn apology_mail(
    conn: &mut DbConnection,
    appointment: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let payload = serde_json::json!({ "reason": reason }).to_string();
    let message = NewMessage {
        kind: MessageKind::Mail,
        owner: Owner::appointment(appointment),
        event: MailKind::Cancelled.into(),
        payload: &payload,
        secret: None,
        due_at: now,
        sequence: None,
    };
    outbox::enqueue(conn, &message, now)
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
        sequence: None,
    };
    outbox::enqueue(conn, &message, now)
}

/// Something that happened, for the organisation's webhook endpoints that asked for it.
#[derive(Debug, Clone)]
pub struct WebhookNews {
    pub event: WebhookEvent,
    pub organisation: OrganisationId,
    /// What the deliveries to one endpoint keep in order: the events of one appointment
    /// (`appointment:ID`) or one ticket (`ticket:ID`); `None` when order does not matter.
    pub sequence: Option<String>,
}

/// Queues the event once for each endpoint that asked for it, as the body every delivery
/// carries: `{id, type, timestamp, data}`. `data` carries what the event needs and no name,
/// e-mail or phone number.
pub fn webhook_event(
    conn: &mut DbConnection,
    news: &WebhookNews,
    data: Value,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let endpoints = webhooks::subscribed(conn, news.organisation, news.event)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let body = json!({
        "id": format!("msg_{}", &crate::app::auth::random_token()[..32]),
        "type": news.event.to_string(),
        "timestamp": now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string();
    for endpoint in endpoints {
        let sequence = news
            .sequence
            .as_ref()
            .map(|s| format!("webhook:{endpoint}:{s}"));
        let message = NewMessage {
            kind: MessageKind::Webhook,
            owner: endpoint.into(),
            event: news.event.into(),
            payload: &body,
            secret: None,
            due_at: now,
            sequence: sequence.as_deref(),
        };
        outbox::enqueue(conn, &message, now)?;
    }
    Ok(())
}

/// A time as the API writes it: with the location's UTC offset.
fn local(at: DateTime<Utc>, location: &Location) -> String {
    at.with_timezone(&location.timezone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An appointment's event (booked, moved, cancelled, checked in), in order per appointment.
#[derive(Debug, Clone, Copy)]
pub struct AppointmentFacts<'a> {
    pub id: i64,
    pub reference: &'a str,
    pub location: &'a Location,
    pub service: &'a Service,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl<'a> AppointmentFacts<'a> {
    /// The facts of a stored appointment as it now is.
    pub fn of(
        record: &'a crate::store::appointments::AppointmentRecord,
        location: &'a Location,
        service: &'a Service,
    ) -> Self {
        Self {
            id: record.id,
            reference: &record.reference,
            location,
            service,
            start: record.starts_at,
            end: record.ends_at,
        }
    }
}

/// Queues an appointment's event for the endpoints that asked for it.
pub fn appointment_event(
    conn: &mut DbConnection,
    event: WebhookEvent,
    facts: &AppointmentFacts,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let news = WebhookNews {
        event,
        organisation: facts.location.organisation_id,
        sequence: Some(format!("appointment:{}", facts.id)),
    };
    let data = json!({
        "reference": facts.reference,
        "location": facts.location.slug.as_str(),
        "service": facts.service.spec.slug.as_str(),
        "start": local(facts.start, facts.location),
        "end": local(facts.end, facts.location),
    });
    webhook_event(conn, &news, data, now)
}

/// Queues a ticket's event (issued, called, finished) for the endpoints that asked for
/// it, in order per ticket; `desk` is the desk's name where it was called to.
pub fn ticket_event(
    conn: &mut DbConnection,
    event: WebhookEvent,
    ticket: &TicketRecord,
    desk: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (location, service) =
        organisations::location_and_service(conn, ticket.location, ticket.service)?;
    let news = WebhookNews {
        event,
        organisation: location.organisation_id,
        sequence: Some(format!("ticket:{}", ticket.id.0)),
    };
    let data = json!({
        "ticket": ticket.public_id,
        "number": ticket.number.to_string(),
        "location": location.slug.as_str(),
        "service": service.spec.slug.as_str(),
        "status": ticket.status.to_string(),
        "desk": desk,
        "issued_at": local(ticket.issued_at, &location),
    });
    webhook_event(conn, &news, data, now)
}
