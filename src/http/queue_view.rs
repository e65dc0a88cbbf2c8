//! A location's queue as the API shows it: the staff console's list (errands by name, the
//! booking behind a ticket) and the call display's board.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde::Serialize;

use crate::app::queue_visits::VisitShown;
use crate::domain::booking::Language;
use crate::domain::queue::{Outcome, TicketStatus};
use crate::domain::visit::NeedKind;
use crate::store::tickets::BoardEntry;

/// How many calls the display lists, the latest first.
pub const CALLS_SHOWN: usize = 6;

fn named(lang: Language, (da, en): (String, String)) -> String {
    match lang {
        Language::Da => da,
        Language::En => en,
    }
}

/// The booking a ticket came from, for staff only: never on a public answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BookingNote {
    pub name: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<FixedOffset>,
    /// When an administrator kept the booking despite a change that left it without room
    /// (a closure, shorter hours, fewer desks): the staff meet it as booked.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub kept_despite_change_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueEntryView {
    pub id: String,
    pub number: String,
    pub status: TicketStatus,
    /// The errand's slug.
    pub service: String,
    /// The errand's name in `?lang=`.
    pub service_name: String,
    #[schema(value_type = String, format = DateTime)]
    pub queued_at: DateTime<FixedOffset>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub called_at: Option<DateTime<FixedOffset>>,
    pub desk: Option<String>,
    pub booking: Option<BookingNote>,
    /// Every errand of the visit, the one it waits for first (staff only).
    pub services: Vec<QueueErrandView>,
    /// The needs the citizen stated (staff only: personal data).
    pub needs: Vec<QueueNeedView>,
}

/// One errand of a queued visit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueErrandView {
    /// The errand's slug.
    pub service: String,
    /// Its name in `?lang=`.
    pub name: String,
    pub quantity: u32,
    /// Its outcome, once given.
    pub outcome: Option<Outcome>,
}

/// One need stated for a queued visit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueNeedView {
    pub kind: NeedKind,
    /// Its name in `?lang=`.
    pub name: String,
    /// The interpreter's language.
    pub detail: Option<String>,
}

impl QueueEntryView {
    /// With the ticket's whole visit, named in `lang`.
    pub fn with_visit(mut self, visit: VisitShown, lang: Language) -> Self {
        self.services = visit
            .errands
            .into_iter()
            .map(|e| QueueErrandView {
                service: e.service.spec.slug.to_string(),
                name: e.service.spec.name(lang).to_owned(),
                quantity: e.quantity,
                outcome: e.outcome,
            })
            .collect();
        self.needs = visit
            .needs
            .into_iter()
            .map(|n| QueueNeedView {
                kind: n.need.kind,
                name: named(lang, n.name),
                detail: n.need.detail,
            })
            .collect();
        self
    }

    pub fn new(e: BoardEntry, zone: &Tz, lang: Language) -> Self {
        let local = |t: DateTime<chrono::Utc>| t.with_timezone(zone).fixed_offset();
        Self {
            id: e.public_id,
            number: e.number.to_string(),
            status: e.status,
            service: e.service,
            service_name: named(lang, e.service_name),
            queued_at: local(e.queued_at),
            called_at: e.called_at.map(local),
            desk: e.desk,
            booking: e.booking.map(|b| BookingNote {
                name: b.name,
                starts_at: local(b.start),
                kept_despite_change_at: b.kept_despite_change_at.map(local),
            }),
            services: Vec::new(),
            needs: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalledView {
    pub number: String,
    pub desk: String,
    /// `called`, or `serving` once the desk has begun.
    pub status: TicketStatus,
    #[schema(value_type = String, format = DateTime)]
    pub called_at: Option<DateTime<FixedOffset>>,
}

/// One errand's queue on the display.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueCount {
    pub service: String,
    /// In `?lang=`.
    pub name: String,
    pub waiting: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisplayView {
    /// The latest calls first, at most six; a ticket leaves when it is finished or a no-show.
    pub called: Vec<CalledView>,
    /// Waiting tickets per errand (slug).
    pub waiting: BTreeMap<String, u32>,
    /// Waiting tickets per errand, named, in the errands' alphabetical order.
    pub queues: Vec<QueueCount>,
}

impl DisplayView {
    pub fn new(mut entries: Vec<BoardEntry>, zone: &Tz, lang: Language) -> Self {
        let mut waiting = BTreeMap::new();
        let mut names = BTreeMap::new();
        for e in entries.iter().filter(|e| e.status == TicketStatus::Waiting) {
            *waiting.entry(e.service.clone()).or_insert(0) += 1;
            names
                .entry(e.service.clone())
                .or_insert_with(|| named(lang, e.service_name.clone()));
        }
        let mut queues: Vec<QueueCount> = waiting
            .iter()
            .map(|(service, count)| QueueCount {
                service: service.clone(),
                name: names.get(service).cloned().unwrap_or_default(),
                waiting: *count,
            })
            .collect();
        queues.sort_by(|a, b| a.name.cmp(&b.name));
        entries.retain(|e| matches!(e.status, TicketStatus::Called | TicketStatus::Serving));
        entries.sort_by_key(|e| std::cmp::Reverse(e.called_at));
        let called = entries
            .into_iter()
            .take(CALLS_SHOWN)
            .map(|e| CalledView {
                number: e.number.to_string(),
                desk: e.desk.unwrap_or_default(),
                status: e.status,
                called_at: e.called_at.map(|t| t.with_timezone(zone).fixed_offset()),
            })
            .collect();
        Self {
            called,
            waiting,
            queues,
        }
    }
}
