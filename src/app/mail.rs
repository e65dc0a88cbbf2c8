//! Mail to citizens: composed from the appointment as it is when the mail goes, sent over
//! SMTP or written as `.eml` files, by a worker that drains the outbox with retries.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::app::booking::Managed;
use crate::app::calendar;
use crate::domain::booking::{retry_at, AppointmentStatus, Language, MailKind};
use crate::domain::email;
use crate::domain::redaction::redact;
use crate::error::{AppError, AppResult};
use crate::store::{appointments, organisations, outbox, DbConnection, Pool};

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

/// What became of one claimed mail; its worker records it in its own table.
#[derive(Debug)]
pub(crate) enum Settled {
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
pub(crate) fn settle(
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

/// The sender of citizens' mail.
pub const FROM: &str = "Skranke <no-reply@skranke.invalid>";

struct Texts {
    subject: String,
    body: String,
}

fn texts(m: &Managed, kind: MailKind, manage_link: &str) -> Texts {
    let en = m.record.language == Language::En;
    let spec = &m.service.spec;
    let name = if en { &spec.name_en } else { &spec.name_da };
    let local = m.record.starts_at.with_timezone(&m.location.timezone);
    let when = local.format("%d-%m-%Y %H:%M").to_string();
    let place = format!("{}, {}", m.location.name, m.location.address);
    let bring = if en {
        spec.what_to_bring_en.as_deref()
    } else {
        spec.what_to_bring_da.as_deref()
    };
    let (subject, lead) = match (kind, en) {
        (MailKind::Confirmation, false) => {
            (format!("Din tid: {name} {when}"), "Du har bestilt en tid.")
        }
        (MailKind::Confirmation, true) => (
            format!("Your appointment: {name} {when}"),
            "Your appointment is booked.",
        ),
        (MailKind::Changed, false) => (format!("Ny tid: {name} {when}"), "Din tid er flyttet."),
        (MailKind::Changed, true) => (
            format!("New time: {name} {when}"),
            "Your appointment has moved.",
        ),
        (MailKind::Cancelled, false) => (format!("Aflyst: {name} {when}"), "Din tid er aflyst."),
        (MailKind::Cancelled, true) => (
            format!("Cancelled: {name} {when}"),
            "Your appointment is cancelled.",
        ),
        (MailKind::Reminder, false) => (format!("Påmindelse: {name} {when}"), "Husk din tid."),
        (MailKind::Reminder, true) => (
            format!("Reminder: {name} {when}"),
            "A reminder of your appointment.",
        ),
    };
    let mut body = format!("{lead}\n\n{name}\n{when}\n{place}\n");
    // "Reference" is the same word in Danish and English.
    body.push_str(&format!("Reference: {}\n", m.record.reference));
    if let (Some(bring), true) = (bring, kind != MailKind::Cancelled) {
        body.push_str(&format!(
            "\n{}: {bring}\n",
            if en { "Bring" } else { "Medbring" }
        ));
    }
    if kind != MailKind::Cancelled {
        let label = if en {
            "Move or cancel"
        } else {
            "Flyt eller aflys"
        };
        body.push_str(&format!("\n{label}: {manage_link}\n"));
    }
    Texts { subject, body }
}

/// The mail for one outbox row.
pub fn compose(
    m: &Managed,
    kind: MailKind,
    to: &str,
    manage_link: &str,
    now: DateTime<Utc>,
) -> AppResult<Message> {
    let texts = texts(m, kind, manage_link);
    let bad = |e: String| AppError::Internal(format!("composing mail: {e}"));
    let to = recipient(to)?;
    let method = if kind == MailKind::Cancelled {
        "CANCEL"
    } else {
        "PUBLISH"
    };
    let ics = Attachment::new(format!("{}.ics", m.record.reference)).body(
        calendar::ics(m, now),
        ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| bad(e.to_string()))?,
    );
    let body = match check_in_code(kind, manage_link)? {
        Some(code) => MultiPart::related()
            .multipart(MultiPart::alternative_plain_html(
                texts.body.clone(),
                html(&texts.body, m.record.language == Language::En),
            ))
            .singlepart(
                Attachment::new_inline(CHECK_IN_CID.into())
                    .body(code, ContentType::parse("image/png").expect("a MIME type")),
            ),
        None => MultiPart::mixed().singlepart(SinglePart::plain(texts.body)),
    };
    Message::builder()
        .from(FROM.parse().expect("a valid sender"))
        .to(to)
        .subject(texts.subject)
        .multipart(MultiPart::mixed().multipart(body).singlepart(ics))
        .map_err(|e| bad(e.to_string()))
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

/// The Content-ID of the check-in QR code inside the mail.
const CHECK_IN_CID: &str = "check-in";

/// The QR code the kiosk scans to check the booking in: the manage link, which carries
/// reference and token. Only mails whose link holds the token can have one, and a
/// cancelled booking has nothing to check in.
fn check_in_code(kind: MailKind, manage_link: &str) -> AppResult<Option<Vec<u8>>> {
    if kind == MailKind::Cancelled || !manage_link.contains("token=") {
        return Ok(None);
    }
    super::qr::png(manage_link).map(Some)
}

/// The HTML twin of the plain text: the same lines, links clickable, and the QR code.
fn html(text: &str, english: bool) -> String {
    let alt = if english {
        "QR code: scan it at the kiosk to check in"
    } else {
        "QR-kode: scan den ved standeren for at melde din ankomst"
    };
    let mut out = String::from("<!doctype html><html><body>");
    for paragraph in text.split("\n\n") {
        out.push_str("<p>");
        let lines: Vec<String> = paragraph.lines().map(html_line).collect();
        out.push_str(&lines.join("<br>"));
        out.push_str("</p>");
    }
    out.push_str(&format!(
        "<p><img src=\"cid:{CHECK_IN_CID}\" alt=\"{alt}\" width=\"200\" height=\"200\"></p>"
    ));
    out.push_str("</body></html>");
    out
}

/// One line, escaped, with a trailing URL made a link.
fn html_line(line: &str) -> String {
    match line.find("http") {
        Some(at) => {
            let (lead, url) = line.split_at(at);
            let url = escape(url);
            format!("{}<a href=\"{url}\">{url}</a>", escape(lead))
        }
        None => escape(line),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    pub dropped: usize,
}

impl Delivery {
    pub(crate) fn count(&mut self, settled: &Settled) {
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
pub(crate) const BATCH: i64 = 50;

/// Sends every mail that is due, each on its own: one that cannot be composed or is
/// refused never holds back the others. Failures are retried later with growing waits; a
/// slow or failing SMTP server delays mail but never a booking.
pub fn deliver_due(
    pool: &Pool,
    mailer: &Mailer,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Delivery> {
    let mut conn = pool.get()?;
    let mut done = Delivery::default();
    // Each claimed mail leaves the due set (sent, dropped, or due again later), so this ends.
    loop {
        let batch = outbox::claim_due(&mut conn, now, LEASE, BATCH)?;
        if batch.is_empty() {
            break;
        }
        for item in batch {
            let prepared = prepare(&mut conn, &item, public_base, now);
            let settled = settle(mailer, prepared, item.attempts, now);
            match &settled {
                Settled::Dropped => outbox::drop_one(&mut conn, item.id, now)?,
                Settled::Sent => outbox::mark_sent(&mut conn, item.id, now)?,
                Settled::Failed { reason, retry_at } => {
                    tracing::warn!(outbox = item.id, attempts = item.attempts + 1,
                        given_up = retry_at.is_none(), %reason, "mail not delivered");
                    outbox::mark_failed(&mut conn, item.id, reason, *retry_at, now)?;
                }
            }
            done.count(&settled);
        }
    }
    let waitlist = super::waitlist_mail::deliver_due(&mut conn, mailer, public_base, now)?;
    done.sent += waitlist.sent;
    done.failed += waitlist.failed;
    done.dropped += waitlist.dropped;
    Ok(done)
}

/// The message for an outbox row, or `None` when it should no longer go.
fn prepare(
    conn: &mut DbConnection,
    item: &outbox::Pending,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Message>> {
    let Some(record) = appointments::find_by_id(conn, item.appointment_id)? else {
        return Ok(None);
    };
    let Some(email) = record.citizen_email.clone() else {
        return Ok(None);
    };
    if item.kind == MailKind::Reminder
        && (record.status != AppointmentStatus::Booked || record.starts_at <= now)
    {
        return Ok(None);
    }
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    // Only the token's hash is stored; the confirmation and change mails carry the token the
    // citizen's request knew, later mails a link that asks for it.
    let link = match &item.manage_token {
        Some(token) => format!(
            "{public_base}/appointments/{}?token={token}",
            record.reference
        ),
        None => format!("{public_base}/appointments/{}", record.reference),
    };
    let managed = Managed {
        record,
        location,
        service,
    };
    compose(&managed, item.kind, &email, &link, now).map(Some)
}

/// Runs [`deliver_due`] every `every` until the process ends.
pub fn spawn_worker(
    pool: Pool,
    mailer: Mailer,
    public_base: String,
    clock: crate::clock::SharedClock,
    every: std::time::Duration,
) {
    std::thread::Builder::new()
        .name("mail".into())
        .spawn(move || loop {
            if let Err(e) = deliver_due(&pool, &mailer, &public_base, clock.now()) {
                tracing::error!(error = %redact(&e.to_string()), "the mail worker could not read the outbox");
            }
            std::thread::sleep(every);
        })
        .expect("starting the mail thread");
}
