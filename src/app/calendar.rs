//! The appointment as an iCalendar (RFC 5545) event, for mails and the calendar link.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use crate::app::booking::Managed;
use crate::domain::booking::{AppointmentStatus, Language};
use crate::domain::meeting::Meeting;
use crate::messages;

/// One VEVENT whose UID never changes and whose SEQUENCE rises with every change, so a
/// calendar that imported it before follows a move or a cancellation.
pub fn ics(m: &Managed, now: DateTime<Utc>) -> String {
    let english = m.record.language == Language::En;
    let language = m.record.language;
    let name = crate::app::visit::errand_names(&m.errands, language);
    let bring = m.service.spec.what_to_bring(language);
    let cancelled = m.record.status == AppointmentStatus::Cancelled;
    // "Reference" is the same word in Danish and English.
    let mut description = format!("Reference: {}", m.record.reference);
    if let Some(bring) = bring {
        let label = if english { "Bring" } else { "Medbring" };
        description.push_str(&format!("\n{label}: {bring}"));
    }
    // A video meeting is held at its link, which calendars open from LOCATION and URL; a
    // phone meeting where the office calls.
    let (place, link) = match m.meeting() {
        Some(Meeting::Video { url }) => (url.clone(), Some(url)),
        Some(Meeting::Phone { number }) => (
            messages::text_with(language, "meeting.phone_lead", &[("number", &number)]),
            None,
        ),
        None => (format!("{}, {}", m.location.name, m.location.address), None),
    };
    let mut event = Event::new();
    event
        .uid(&format!("{}@skranke", m.record.reference))
        .sequence(m.record.sequence.max(0) as u32)
        .timestamp(now)
        .summary(&format!("{name} – {}", m.location.name))
        .location(&place)
        .description(&description)
        .starts(m.record.starts_at)
        .ends(m.record.ends_at)
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(url) = link {
        event.url(&url);
    }
    let event = event.done();
    let method = if cancelled { "CANCEL" } else { "PUBLISH" };
    let mut calendar = Calendar::new();
    calendar.append_property(icalendar::Property::new("METHOD", method));
    calendar.push(event);
    calendar.done().to_string()
}
