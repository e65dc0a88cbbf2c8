//! The appointments' text messages: a change, a cancellation and the reminder, short (one
//! SMS where the words allow), in the citizen's language, with the manage link.

use chrono::{DateTime, Utc};

use crate::domain::booking::{still_goes, MailKind};
use crate::domain::organisation::parse_choice;
use crate::domain::sms::{fits_one, plain, sender_name, Msisdn, Sms};
use crate::error::{AppError, AppResult};
use crate::messages;
use crate::store::outbox::Claimed;
use crate::store::{appointments, municipalities, organisations, DbConnection};

/// The SMS for an outbox row, or `None` when it should no longer go.
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Sms>> {
    let kind: MailKind = parse_choice(&item.event).map_err(AppError::Internal)?;
    let Some(record) = appointments::find_by_id(conn, item.owner.id)? else {
        return Ok(None);
    };
    let Some(phone) = appointments::sms_phone_of(conn, record.id)? else {
        return Ok(None);
    };
    if !still_goes(kind, record.status, record.starts_at, now) {
        return Ok(None);
    }
    // The reason names no digits, so it may be stored and logged.
    let to = Msisdn::parse(&phone).map_err(|why| AppError::invalid_field("citizen.phone", why))?;
    let (location, service) =
        organisations::location_and_service(conn, record.location, record.service)?;
    let from = municipalities::of(conn, location.organisation_id)?;
    let lang = record.language;
    let kind_key: &'static str = kind.into();
    let when = messages::day_time_where(lang, record.starts_at, location.timezone);
    let link = format!("{public_base}/appointments/{}", record.reference);
    let words = |place: &str| {
        plain(&messages::text_with(
            lang,
            &format!("sms.{kind_key}"),
            &[
                ("errand", service.spec.name(lang)),
                ("when", &when),
                ("place", place),
                ("reference", &record.reference),
                ("link", &link),
            ],
        ))
    };
    // The place is the first to go when the text would not fit one SMS.
    let full = words(&format!(", {}", location.name));
    let text = if fits_one(&full) { full } else { words("") };
    Ok(Some(Sms {
        sender: sender_name(from.as_ref().map_or("Skranke", |m| &m.mail_from_name)),
        to,
        text,
    }))
}
