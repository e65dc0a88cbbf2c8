//! Sending mail: the transport (SMTP, or `.eml` files without a server), the sender and
//! recipient every citizen's mail has, and draining a table of due mails one by one with
//! retries. The appointments' mails and the waitlist's each keep a table of their own and
//! say here how to claim, compose and record one.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::domain::booking::retry_at;
use crate::domain::email;
use crate::domain::municipality::Municipality;
use crate::domain::redaction::redact;
use crate::error::{AppError, AppResult};
use crate::store::{DbConnection, StoreResult};

/// Where mail goes.
pub enum Mailer {
    Smtp(SmtpTransport),
    Files(FileTransport),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Smtp(_) => "Mailer::Smtp",
            Self::Files(_) => "Mailer::Files",
        })
    }
}

impl Mailer {
    /// SMTP when a URL is given (`smtp://user:pass@host:port`), else `.eml` files in `dir`.
    pub fn new(smtp_url: Option<&str>, dir: PathBuf) -> AppResult<Self> {
        match smtp_url {
            Some(url) => SmtpTransport::from_url(url)
                .map(|b| Self::Smtp(b.timeout(Some(std::time::Duration::from_secs(20))).build()))
                .map_err(|e| AppError::invalid_field("SKRANKE_SMTP_URL", e.to_string())),
            None => {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| AppError::Internal(format!("creating {}: {e}", dir.display())))?;
                Ok(Self::Files(FileTransport::new(dir)))
            }
        }
    }

    /// Sends one message; a failure says whether trying again could help, and why in
    /// words that carry no address or phone number.
    pub(crate) fn send(&self, message: &Message) -> Result<(), Failure> {
        match self {
            Self::Smtp(t) => t.send(message).map(drop).map_err(|e| Failure {
                permanent: refuses_this_message(&e),
                reason: redact(&e.to_string()),
            }),
            Self::Files(t) => t.send(message).map(drop).map_err(|e| Failure {
                permanent: false,
                reason: redact(&e.to_string()),
            }),
        }
    }
}

/// Whether the SMTP server refused this message or its recipient for good: a 5xx reply in
/// the syntax (50x) or mail system (55x) classes, such as `550 5.1.1` for an unknown
/// mailbox. A 5xx about the connection or the sign-in (52x, 53x) is the server's set-up,
/// not the message's, and is tried again like a 4xx or a lost connection.
fn refuses_this_message(e: &lettre::transport::smtp::Error) -> bool {
    use lettre::transport::smtp::response::Category;
    e.is_permanent()
        && e.status()
            .is_some_and(|code| matches!(code.category, Category::Syntax | Category::MailSystem))
}

/// Why a mail did not go, free of personal data, and whether it is worth another attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub permanent: bool,
    pub reason: String,
}

/// What became of one claimed mail.
#[derive(Debug)]
enum Settled {
    Sent,
    /// It should no longer go (its booking changed, retention removed the address).
    Dropped,
    /// Not delivered: tried again at `retry_at`, or given up when that is `None`.
    Failed {
        reason: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Sends one prepared mail. A mail that cannot be prepared fails alone: for good when it
/// cannot be composed (an address the mailer refuses), for now when the database could not
/// be read; a permanent refusal is never tried again, a passing one after a growing wait.
fn settle(
    mailer: &Mailer,
    prepared: AppResult<Option<Message>>,
    attempts: i32,
    now: DateTime<Utc>,
) -> Settled {
    let failure = match prepared {
        Ok(None) => return Settled::Dropped,
        Ok(Some(message)) => match mailer.send(&message) {
            Ok(()) => return Settled::Sent,
            Err(failure) => failure,
        },
        Err(AppError::Store(e)) => Failure {
            permanent: false,
            reason: redact(&format!("reading the mail's data: {e}")),
        },
        Err(e) => Failure {
            permanent: true,
            reason: redact(&format!("the mail cannot be composed: {e}")),
        },
    };
    Settled::Failed {
        retry_at: retry_at(attempts, failure.permanent, now),
        reason: failure.reason,
    }
}

/// The sender of citizens' mail before the organisation file names its own.
pub const FROM: &str = "Skranke <no-reply@skranke.invalid>";

/// Who a citizen's mail is from and where an answer to it goes: the municipality's sender
/// and `Reply-To` as its organisation file names them, read as the mail is composed so a
/// new import applies to the next mail.
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    from: Mailbox,
    reply_to: Option<Mailbox>,
}

impl Sender {
    pub(crate) fn of(municipality: Option<&Municipality>) -> AppResult<Self> {
        let Some(m) = municipality else {
            return Ok(Self {
                from: FROM.parse().expect("a valid sender"),
                reply_to: None,
            });
        };
        let address = |field: &str, raw: &str| {
            raw.parse::<lettre::Address>()
                .map_err(|e| AppError::invalid_field(field, e.to_string()))
        };
        Ok(Self {
            from: Mailbox::new(
                Some(m.mail_from_name.clone()),
                address("municipality.mail_from", &m.mail_from)?,
            ),
            reply_to: Some(Mailbox::new(
                Some(m.mail_from_name.clone()),
                address("municipality.reply_to", &m.reply_to)?,
            )),
        })
    }

    /// A message from this sender, its `Reply-To` set.
    pub(crate) fn message(&self) -> lettre::message::MessageBuilder {
        let builder = Message::builder().from(self.from.clone());
        match &self.reply_to {
            Some(reply_to) => builder.reply_to(reply_to.clone()),
            None => builder,
        }
    }
}

/// The recipient of a citizen's mail, by the rules every address met when it was given
/// (`domain::email`); a row stored before those rules, or written around them, fails here.
pub(crate) fn recipient(to: &str) -> AppResult<Mailbox> {
    let address = email::parse(to)
        .and_then(|a| {
            a.parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())
        })
        .map_err(|why| AppError::invalid_field("recipient", why))?;
    Ok(Mailbox::new(None, address))
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    pub dropped: usize,
}

impl Delivery {
    fn count(&mut self, settled: &Settled) {
        match settled {
            Settled::Sent => self.sent += 1,
            Settled::Dropped => self.dropped += 1,
            Settled::Failed { .. } => self.failed += 1,
        }
    }
}

/// How long a claimed mail is left to its sender before another worker may take it.
const LEASE: Duration = Duration::minutes(5);

/// How many mails are claimed at a time; a pass claims batches until nothing is due.
const BATCH: i64 = 50;

impl std::ops::AddAssign for Delivery {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.failed += other.failed;
        self.dropped += other.dropped;
    }
}

/// One table of mails waiting to go, as [`drain`] empties it: the store's functions for its
/// rows. Each row is claimed under a lease, then sent, dropped or marked failed.
pub(crate) struct MailTable<Row> {
    /// The table's name, for the log.
    pub name: &'static str,
    pub claim_due: ClaimDue<Row>,
    pub id: fn(&Row) -> i64,
    pub attempts: fn(&Row) -> i32,
    pub mark_sent: fn(&mut DbConnection, i64, DateTime<Utc>) -> StoreResult<()>,
    pub drop: fn(&mut DbConnection, i64, DateTime<Utc>) -> StoreResult<()>,
    pub mark_failed: MarkFailed,
}

/// Claims up to a number of due rows, each under a lease of the duration given.
pub(crate) type ClaimDue<Row> =
    fn(&mut DbConnection, DateTime<Utc>, Duration, i64) -> StoreResult<Vec<Row>>;

/// Records a failed attempt at a row: tried again at the time given, or dropped when `None`.
pub(crate) type MarkFailed =
    fn(&mut DbConnection, i64, &str, Option<DateTime<Utc>>, DateTime<Utc>) -> StoreResult<()>;

/// Sends every mail of `table` that is due, each on its own: one that cannot be composed or
/// is refused never holds back the others. Failures are retried later with growing waits; a
/// slow or failing SMTP server delays mail but never a booking. `prepare` makes a row's
/// message, or `None` when it should no longer go.
pub(crate) fn drain<Row>(
    conn: &mut DbConnection,
    mailer: &Mailer,
    table: &MailTable<Row>,
    mut prepare: impl FnMut(&mut DbConnection, &Row) -> AppResult<Option<Message>>,
    now: DateTime<Utc>,
) -> AppResult<Delivery> {
    let mut done = Delivery::default();
    // Each claimed mail leaves the due set (sent, dropped, or due again later), so this ends.
    loop {
        let batch = (table.claim_due)(conn, now, LEASE, BATCH)?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let (id, attempts) = ((table.id)(&row), (table.attempts)(&row));
            let settled = settle(mailer, prepare(conn, &row), attempts, now);
            match &settled {
                Settled::Dropped => (table.drop)(conn, id, now)?,
                Settled::Sent => (table.mark_sent)(conn, id, now)?,
                Settled::Failed { reason, retry_at } => {
                    tracing::warn!(table = table.name, id, attempts = attempts + 1,
                        given_up = retry_at.is_none(), %reason, "mail not delivered");
                    (table.mark_failed)(conn, id, reason, *retry_at, now)?;
                }
            }
            done.count(&settled);
        }
    }
    Ok(done)
}
