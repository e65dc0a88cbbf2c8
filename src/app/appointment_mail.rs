//! The appointments' mails: confirmation, change, cancellation and reminder, composed from
//! the appointment as it is when the mail goes (with the calendar file and the check-in QR
//! code), from the outbox that booking writes in its transaction.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart};
use lettre::Message;

use crate::app::booking::Managed;
use crate::app::calendar;
use crate::app::mail_html::{self, MailView};
use crate::app::mailer::{recipient, Sender};
use crate::app::message_queue::ApologyPayload;
use crate::domain::booking::{still_goes, MailKind};
use crate::domain::meeting::Meeting;
use crate::domain::municipality::{map_link, Municipality};
use crate::domain::organisation::parse_choice;
use crate::error::{AppError, AppResult};
use crate::messages;
use crate::store::outbox::Claimed;
use crate::store::{appointments, municipalities, organisations, DbConnection};

struct Texts {
    subject: String,
    body: String,
    html: String,
}

/// Why the office cancelled a booking, for the mail that apologises for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Apology<'a> {
    pub reason: &'a str,
}

/// The words of one mail from the catalogue, the same as the pages use: dates with weekday
/// in the location's zone, the errand's name and what to bring in the citizen's language.
/// A cancellation the office made (`apology`) says why, and offers booking again and the
/// waitlist for the same errand and place.
fn texts(
    m: &Managed,
    (kind, apology): (MailKind, Option<Apology>),
    manage_link: &str,
    from: Option<&Municipality>,
) -> Texts {
    let lang = m.record.language;
    let t = |key: &str| messages::text(lang, key).to_owned();
    let spec = &m.service.spec;
    let errands = crate::app::visit::errand_names(&m.errands, lang);
    let errand = errands.as_str();
    let when = messages::day_time_where(lang, m.record.starts_at, m.location.timezone);
    let place = format!("{}, {}", m.location.name, m.location.address);
    let kind_key = match kind {
        MailKind::Confirmation => "confirmation",
        MailKind::Changed => "changed",
        MailKind::Cancelled => "cancelled",
        MailKind::Reminder => "reminder",
    };
    let subject_key = match apology {
        Some(_) => "apology_mail.subject".to_owned(),
        None => format!("mail.subject_{kind_key}"),
    };
    let subject = messages::text_with(lang, &subject_key, &[("errand", errand), ("when", &when)]);
    let lead = match apology {
        Some(a) => messages::text_with(lang, "apology_mail.lead", &[("reason", a.reason)]),
        None => t(&format!("mail.lead_{kind_key}")),
    };
    let cancelled = kind == MailKind::Cancelled;
    let meeting = m.meeting();
    let (where_label, where_value) = match &meeting {
        Some(Meeting::Video { url }) => (t("meeting.video"), url.clone()),
        Some(Meeting::Phone { number }) => (
            t("meeting.phone"),
            messages::text_with(lang, "meeting.phone_lead", &[("number", number)]),
        ),
        None => (t("common.place"), place),
    };
    let mut facts = vec![
        (t("common.errand"), errand.to_owned()),
        (t("common.time"), when.clone()),
        (where_label, where_value),
        (t("mail.reference"), m.record.reference.clone()),
    ];
    if let Some(bring) = spec.what_to_bring(lang).filter(|_| !cancelled) {
        facts.push((t("common.bring"), bring.to_owned()));
    }
    // A meeting on screen or on the phone is not at the office: no map, and the video
    // link's own words lead the mail.
    let map = meeting
        .is_none()
        .then(|| (t("footer.show_on_map"), map_link(&m.location.address)));
    let lead = match (&meeting, cancelled) {
        (Some(Meeting::Video { .. }), false) => format!("{lead}\n\n{}", t("meeting.video_lead")),
        _ => lead,
    };
    let base = manage_link
        .split("/appointments/")
        .next()
        .unwrap_or_default();
    let errand_here = format!(
        "location={}&service={}&lang={}",
        m.location.slug,
        spec.slug,
        lang.code()
    );
    let button = match (cancelled, apology) {
        (true, Some(_)) => (t("mail.book_again"), format!("{base}/book?{errand_here}")),
        (true, None) => (t("mail.book_again"), book_again_link(manage_link)),
        (false, _) => (t("mail.manage"), manage_link.to_owned()),
    };
    let mut closing = Vec::new();
    if apology.is_some() {
        closing.push(messages::text_with(
            lang,
            "apology_mail.waitlist",
            &[("link", &format!("{base}/waitlist?{errand_here}"))],
        ));
    }
    closing.push(t("mail.regards"));
    if let Some(from) = from {
        closing.push(from.mail_from_name.clone());
        closing.push(messages::text_with(
            lang,
            "mail.questions",
            &[("phone", &from.phone)],
        ));
    }
    let mut body = format!("{lead}\n\n");
    for (label, value) in &facts {
        body.push_str(&format!("{label}: {value}\n"));
    }
    if let Some((label, link)) = &map {
        body.push_str(&format!("{label}: {link}\n\n"));
    }
    body.push_str(&format!("{}: {}\n\n", button.0, button.1));
    body.push_str(&closing.join("\n"));
    body.push('\n');
    let code = (!cancelled && manage_link.contains("token="))
        .then(|| (CHECK_IN_CID, t("mail.qr_alt"), t("mail.qr_caption")));
    let html = mail_html::render(&MailView {
        lang: lang.code(),
        title: subject.clone(),
        lead,
        facts,
        map,
        button: Some(button),
        code,
        closing,
    });
    Texts {
        subject,
        body,
        html,
    }
}

/// The booking pages, from the same server as the manage link.
fn book_again_link(manage_link: &str) -> String {
    let base = manage_link
        .split("/appointments/")
        .next()
        .unwrap_or_default();
    format!("{base}/book")
}

/// The mail for one outbox row.
pub(crate) fn compose(
    (sender, from): (&Sender, Option<&Municipality>),
    m: &Managed,
    (kind, apology): (MailKind, Option<Apology>),
    to: &str,
    manage_link: &str,
    now: DateTime<Utc>,
) -> AppResult<Message> {
    let texts = texts(m, (kind, apology), manage_link, from);
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
                texts.html.clone(),
            ))
            .singlepart(
                Attachment::new_inline(CHECK_IN_CID.into())
                    .body(code, ContentType::parse("image/png").expect("a MIME type")),
            ),
        None => MultiPart::alternative_plain_html(texts.body, texts.html),
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

/// The message for an outbox row, or `None` when it should no longer go.
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Message>> {
    let kind: MailKind = parse_choice(&item.event).map_err(AppError::Internal)?;
    let Some(record) = appointments::find_by_id(conn, item.owner.id)? else {
        return Ok(None);
    };
    let Some(email) = record.citizen_email.clone() else {
        return Ok(None);
    };
    if !still_goes(kind, record.status, record.starts_at, now) {
        return Ok(None);
    }
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    // Only the token's hash is stored; the confirmation and change mails carry the token the
    // citizen's request knew, later mails a link that asks for it.
    let link = match &item.secret {
        Some(token) => format!(
            "{public_base}/appointments/{}?token={token}",
            record.reference
        ),
        None => format!("{public_base}/appointments/{}", record.reference),
    };
    let from = municipalities::of(conn, location.organisation_id)?;
    let sender = Sender::of(from.as_ref())?;
    let errands = crate::app::booking::errands_of(conn, &record, &location)?;
    let managed = Managed {
        record,
        location,
        service,
        errands,
    };
    // Only the office's cancellations carry a reason.
    let payload: Option<ApologyPayload> = serde_json::from_str(&item.payload).ok();
    let apology = payload.as_ref().map(|p| Apology { reason: &p.reason });
    let said = (kind, apology);
    compose((&sender, from.as_ref()), &managed, said, &email, &link, now).map(Some)
}
