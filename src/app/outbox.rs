//! The outbox worker: every few seconds it claims what is due of every outgoing message,
//! composes each from its owner as the owner is now, hands it to its transport and records
//! how it went — each message on its own, so one that cannot be composed or is refused
//! never holds back another. Several workers (threads or server processes) may run on one
//! database: a claimed message is leased to one of them.

use chrono::{DateTime, Duration, Utc};
use lettre::Message;

use crate::app::mailer::Mailer;
use crate::app::sms_gateway::SmsGateway;
use crate::app::transport::{Failure, Transport};
use crate::app::webhook_sender::WebhookSender;
use crate::app::webhooks::{self, WebhookPost};
use crate::app::{appointment_mail, appointment_sms, feedback_mail, password_mail, waitlist_mail};
use crate::domain::message_kind::MessageKind;
use crate::domain::outbox::{retry_at, OwnerKind};
use crate::domain::redaction::redact;
use crate::domain::sms::Sms;
use crate::domain::webhook;
use crate::error::{AppError, AppResult};
use crate::store::outbox::{self, Claimed, Outcome};
use crate::store::{DbConnection, Pool};

/// The transports the worker sends through, one for each kind of message.
#[derive(Clone, Copy)]
pub struct Transports<'a> {
    pub mail: &'a dyn Transport<Message>,
    /// `None` without `SKRANKE_SMS_URL`: text messages wait, and are tried again.
    pub sms: Option<&'a dyn Transport<Sms>>,
    /// `None` where no webhook is to go (tests of mail alone): deliveries wait.
    pub webhook: Option<&'a dyn Transport<WebhookPost>>,
}

impl<'a> From<&'a Mailer> for Transports<'a> {
    fn from(mailer: &'a Mailer) -> Self {
        Self {
            mail: mailer,
            sms: None,
            webhook: None,
        }
    }
}

/// A message composed and ready for its transport.
pub enum Composed {
    Mail(Box<Message>),
    Sms(Sms),
    Webhook(WebhookPost),
}

impl Composed {
    fn send(&self, transports: Transports) -> Result<(), Failure> {
        match self {
            Self::Mail(message) => transports.mail.send(message),
            Self::Sms(sms) => match transports.sms {
                Some(gateway) => gateway.send(sms),
                None => Err(Failure::passing("no SMS gateway is set (SKRANKE_SMS_URL)")),
            },
            Self::Webhook(post) => match transports.webhook {
                Some(sender) => sender.send(post),
                None => Err(Failure::passing("no webhook sender runs here")),
            },
        }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    pub dropped: usize,
}

impl std::ops::AddAssign for Delivery {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.failed += other.failed;
        self.dropped += other.dropped;
    }
}

/// How long a claimed message is left to its sender before another worker may take it.
/// The lease is renewed for each message just before it is sent ([`outbox::hold`]), and
/// every transport gives up well within it (HTTP after 15–20 s, SMTP after 20 s a
/// command), so a message is being sent by one worker at a time.
pub const LEASE: Duration = Duration::minutes(5);

/// How many messages are claimed at a time; a pass claims batches until nothing is due.
const BATCH: i64 = 50;

/// Sends every message that is due, each on its own. Failures are tried again later with
/// growing waits; a slow or failing transport delays messages but never a booking.
pub fn deliver_due<'a>(
    pool: &Pool,
    transports: impl Into<Transports<'a>>,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Delivery> {
    let transports = transports.into();
    let mut conn = pool.get()?;
    // Whoever holds a lease is named by it, so that only this pass records what it sent.
    let lease_id = crate::app::auth::random_token();
    // The pass's clock runs on from `now` while it sends, so that a long pass renews its
    // leases from the time it is at.
    let started = std::time::Instant::now();
    let at = || now + Duration::from_std(started.elapsed()).unwrap_or(Duration::zero());
    let mut done = Delivery::default();
    // Each claimed message leaves the due set (sent, dropped, due again later, or leased by
    // another worker), so this ends.
    loop {
        let batch = outbox::claim_due(&mut conn, &lease_id, LEASE, BATCH, now)?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            // The batch's lease may have run out while the messages before this one went,
            // and another worker may have this one now: then it is that worker's to send.
            if !outbox::hold(&mut conn, message.id, &lease_id, at() + LEASE)? {
                tracing::warn!(
                    id = message.id,
                    "a message's lease ran out before it was sent; another worker took it"
                );
                continue;
            }
            let composed = compose(&mut conn, &message, public_base, now);
            let failure;
            let outcome = match send(composed, transports, &message, now) {
                Settled::Sent => Outcome::Sent,
                Settled::Dropped => Outcome::Dropped,
                Settled::Failed(why, retry_at) => {
                    failure = why;
                    tracing::warn!(id = message.id, kind = %message.kind, event = %message.event,
                        attempts = message.attempts + 1, given_up = retry_at.is_none(),
                        reason = %failure.reason, "message not delivered");
                    Outcome::Failed {
                        error: &failure.reason,
                        retry_at,
                    }
                }
            };
            if !outbox::settle(&mut conn, message.id, &lease_id, &outcome, now)? {
                tracing::warn!(
                    id = message.id,
                    "the lease on a message ran out while it was being sent"
                );
            } else if message.kind == MessageKind::Webhook {
                let failure = match &outcome {
                    Outcome::Failed { error, retry_at } => Some((*error, retry_at.is_some())),
                    _ => None,
                };
                if outcome != Outcome::Dropped {
                    // The endpoint's state is for its administrator's eyes; the delivery
                    // itself is settled whether or not it can be marked.
                    if let Err(e) = webhooks::record(&mut conn, &message, failure, now) {
                        tracing::warn!(id = message.id, error = %redact(&e.to_string()),
                            "a webhook's delivery state could not be marked");
                    }
                }
            }
            match outcome {
                Outcome::Sent => done.sent += 1,
                Outcome::Dropped => done.dropped += 1,
                Outcome::Failed { .. } => done.failed += 1,
            }
        }
    }
    Ok(done)
}

/// What became of one claimed message.
enum Settled {
    Sent,
    /// It should no longer go (its cause is gone, or changed).
    Dropped,
    /// Not delivered: tried again at the time, or given up when that is `None`.
    Failed(Failure, Option<DateTime<Utc>>),
}

/// Sends one composed message. One that cannot be composed fails alone: for good when it
/// cannot be composed (an address the mailer refuses), for now when the database could not
/// be read; a permanent refusal is never tried again, a passing one after a growing wait.
fn send(
    composed: AppResult<Option<Composed>>,
    transports: Transports,
    message: &Claimed,
    now: DateTime<Utc>,
) -> Settled {
    let failure = match composed {
        Ok(None) => return Settled::Dropped,
        Ok(Some(message)) => match message.send(transports) {
            Ok(()) => return Settled::Sent,
            Err(failure) => failure,
        },
        Err(AppError::Store(e)) => Failure::passing(&format!("reading the message's data: {e}")),
        Err(e) => Failure::permanent(&format!("the message cannot be composed: {e}")),
    };
    let retry_at = match message.kind {
        // A webhook is tried for a day from when it was queued, however many attempts.
        MessageKind::Webhook => {
            webhook::retry_at(message.attempts, failure.permanent, message.created_at, now)
        }
        _ => retry_at(message.attempts, failure.permanent, now),
    };
    Settled::Failed(failure, retry_at)
}

/// The message for a claimed row, composed from its owner as it is now, or `None` when it
/// should no longer go.
fn compose(
    conn: &mut DbConnection,
    message: &Claimed,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Composed>> {
    let mail = |m: Option<Message>| m.map(|m| Composed::Mail(Box::new(m)));
    match (message.kind, message.owner.kind) {
        (MessageKind::Mail, OwnerKind::Appointment) if message.event == feedback_mail::EVENT => {
            feedback_mail::prepare(conn, message, public_base, now).map(mail)
        }
        (MessageKind::Mail, OwnerKind::Appointment) => {
            appointment_mail::prepare(conn, message, public_base, now).map(mail)
        }
        (MessageKind::Mail, OwnerKind::WaitlistEntry) => {
            waitlist_mail::prepare(conn, message, public_base, now).map(mail)
        }
        (MessageKind::Mail, OwnerKind::StaffUser) => {
            password_mail::prepare(conn, message, public_base, now).map(mail)
        }
        (MessageKind::Sms, OwnerKind::Appointment) => {
            appointment_sms::prepare(conn, message, public_base, now)
                .map(|sms| sms.map(Composed::Sms))
        }
        (MessageKind::Webhook, OwnerKind::Webhook) => {
            webhooks::prepare(conn, message, now).map(|post| post.map(Composed::Webhook))
        }
        (kind, owner) => Err(AppError::Internal(format!(
            "no {kind} is composed for a {owner}"
        ))),
    }
}

/// Runs [`deliver_due`] every `every` until the process ends.
pub fn spawn_worker(
    pool: Pool,
    (mailer, sms): (Mailer, Option<SmsGateway>),
    public_base: String,
    clock: crate::clock::SharedClock,
    every: std::time::Duration,
) {
    std::thread::Builder::new()
        .name("outbox".into())
        .spawn(move || {
            // Made on this thread: the blocking HTTP client runs a runtime of its own, which
            // may not be made or dropped inside the server's.
            let webhook = WebhookSender::new()
                .inspect_err(|e| tracing::error!(error = %e, "webhooks cannot be sent"))
                .ok();
            loop {
            let transports = Transports {
                mail: &mailer,
                sms: sms.as_ref().map(|g| g as &dyn Transport<Sms>),
                webhook: webhook.as_ref().map(|w| w as &dyn Transport<WebhookPost>),
            };
            if let Err(e) = deliver_due(&pool, transports, &public_base, clock.now()) {
                tracing::error!(error = %redact(&e.to_string()), "the outbox worker could not read the outbox");
            }
            std::thread::sleep(every);
            }
        })
        .expect("starting the outbox thread");
}
