//! The appointments' mails: confirmation, change, cancellation and reminder, composed from
//! the appointment as it is when the mail goes (with the calendar file and the check-in QR
//! code), from the outbox that booking writes in its transaction.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::Message;

use crate::app::booking::Managed;
use crate::app::calendar;
use crate::app::mailer::{recipient, MailTable, Sender};
use crate::domain::booking::{AppointmentStatus, Language, MailKind};
use crate::error::{AppError, AppResult};
use crate::store::{appointments, organisations, outbox, DbConnection};

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
pub(crate) fn compose(
    sender: &Sender,
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
    sender
        .message()
        .to(to)
        .subject(texts.subject)
        .multipart(MultiPart::mixed().multipart(body).singlepart(ics))
        .map_err(|e| bad(e.to_string()))
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

/// The outbox of appointments' mails, as [`crate::app::mailer::drain`] empties it.
pub(crate) const OUTBOX: MailTable<outbox::Pending> = MailTable {
    name: "outbox",
    claim_due: outbox::claim_due,
    id: |row| row.id,
    attempts: |row| row.attempts,
    mark_sent: outbox::mark_sent,
    drop: outbox::drop_one,
    mark_failed: outbox::mark_failed,
};

/// The message for an outbox row, or `None` when it should no longer go.
pub(crate) fn prepare(
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
    let sender = Sender::of(conn, location.organisation_id)?;
    let managed = Managed {
        record,
        location,
        service,
    };
    compose(&sender, &managed, item.kind, &email, &link, now).map(Some)
}
