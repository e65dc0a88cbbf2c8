//! Freed times go to the waitlist: wherever capacity comes free (a cancellation, a move, a
//! lapsed hold, a roster that grew), the first waiting entry whose range it falls in gets it
//! held and is told by mail; a worker lapses expired holds and offers again.
//!
//! Every offer is made in a writing transaction under the lock of the location's whole
//! capacity, which every booking there holds shared, so a held time is never booked by
//! someone else and never held twice.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::app::auth;
use crate::app::capacity::{free_in, span, visit_calendar_of, Calendar};
use crate::app::message_queue::{self, WebhookNews};
use crate::app::visit::Visit;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::Location;
use crate::domain::visit::DeskFeature;
use crate::domain::waitlist::{pick_offer, WaitlistMailKind, DEFAULT_HOLD_MINUTES};
use crate::domain::webhook::WebhookEvent;
use crate::error::{AppError, AppResult};
use crate::store::waitlist::{self as rows, EntryRecord, NewHold};
use crate::store::{self, capacity_lock, organisations, DbConnection, Pool};

/// How the waitlist behaves on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitlistSettings {
    /// How long a freed time is held for the citizen it is offered to.
    pub hold: Duration,
}

impl Default for WaitlistSettings {
    fn default() -> Self {
        Self {
            hold: Duration::minutes(i64::from(DEFAULT_HOLD_MINUTES)),
        }
    }
}

/// Offers the free times at a location to the waiting entries, first joined first: each
/// gets the earliest free time in its range that it has not let lapse before, held for
/// `settings.hold`. The caller holds the location's whole capacity
/// ([`capacity_lock::whole`]) inside a writing transaction.
pub fn offer_freed(
    conn: &mut DbConnection,
    location: LocationId,
    settings: &WaitlistSettings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let slug = organisations::location_slug(conn, location)?;
    let place = crate::app::catalogue::location(conn, &slug)?;
    let zone = place.timezone;
    let today = now.with_timezone(&zone).date_naive();
    // Entries waiting for the same visit share its calendar: most wait for one errand.
    let mut calendars: HashMap<VisitKey, Option<Calendar>> = HashMap::new();
    let mut offered = 0;
    for entry in rows::line(conn, location, today, now)? {
        let Some(range) = entry.range.remaining(today) else {
            continue;
        };
        let visit = entry_visit(conn, &entry, &place)?;
        let cal = match calendars.entry(VisitKey::of(&visit)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                // A visit no longer bookable (an errand made walk-in only) offers nothing.
                slot.insert(match visit_calendar_of(conn, place.clone(), visit, now) {
                    Ok(cal) => Some(cal),
                    Err(AppError::Unprocessable { .. }) => None,
                    Err(other) => return Err(other),
                })
            }
        };
        let Some(cal) = cal.as_ref() else {
            continue;
        };
        let free = free_in(conn, cal, range.from, range.to, now)?;
        let passed = rows::passed_starts(conn, entry.id)?;
        let Some(slot) = pick_offer(&free, &passed) else {
            continue;
        };
        let start = slot.start.with_timezone(&Utc);
        let token = auth::random_token();
        let hold = rows::insert_hold(
            conn,
            &NewHold {
                entry: entry.id,
                location,
                service: entry.service,
                starts_at: start,
                blocks_until: span(cal, start).1,
                token_hash: &auth::token_hash(&token),
                expires_at: now + settings.hold,
                now,
            },
        )?;
        message_queue::waitlist_mail(
            conn,
            entry.id,
            Some(hold),
            WaitlistMailKind::Offer,
            &token,
            now,
        )?;
        let news = WebhookNews {
            event: WebhookEvent::WaitlistOffered,
            organisation: cal.location.organisation_id,
            sequence: None,
        };
        let data = json!({
            "hold": hold.0,
            "location": cal.location.slug.as_str(),
            "service": cal.service.spec.slug.as_str(),
            "start": slot.start.to_rfc3339(),
            "expires_at": (now + settings.hold).with_timezone(&zone).to_rfc3339(),
        });
        message_queue::webhook_event(conn, &news, data, now)?;
        offered += 1;
    }
    Ok(offered)
}

/// What a visit's free times depend on: its errands with their quantities, what its desk
/// must have, and the minutes its needs add.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct VisitKey(Vec<(ServiceId, u32)>, BTreeSet<DeskFeature>, u32);

impl VisitKey {
    fn of(visit: &Visit) -> Self {
        let lines = visit
            .lines
            .iter()
            .map(|l| (l.service.id, l.quantity))
            .collect();
        Self(lines, visit.features(), visit.extra_minutes)
    }
}

/// The whole visit an entry waits for, its errands as offered at `location` now.
pub(crate) fn entry_visit(
    conn: &mut DbConnection,
    entry: &EntryRecord,
    location: &Location,
) -> AppResult<Visit> {
    let lines = rows::entry_errands(conn, entry.id, entry.service)?;
    let needs = rows::entry_needs(conn, entry.id)?;
    Visit::stored(conn, location, lines, needs)
}

/// One pass of the worker: at each location where someone waits, lapses the holds that
/// expired and offers what is free (times given back, holds lapsed, capacity grown).
/// Returns how many offers went out.
pub fn tick(pool: &Pool, settings: &WaitlistSettings, now: DateTime<Utc>) -> AppResult<usize> {
    let mut conn = pool.get()?;
    let mut offered = 0;
    for location in rows::locations_to_match(&mut conn, now)? {
        offered += store::write(&mut conn, |conn| {
            capacity_lock::whole(conn, location)?;
            rows::lapse_expired(conn, location, now)?;
            offer_freed(conn, location, settings, now)
        })?;
    }
    Ok(offered)
}

/// Runs [`tick`] every `every` until the process ends.
pub fn spawn_worker(
    pool: Pool,
    clock: crate::clock::SharedClock,
    settings: WaitlistSettings,
    every: std::time::Duration,
) {
    std::thread::Builder::new()
        .name("waitlist".into())
        .spawn(move || loop {
            if let Err(e) = tick(&pool, &settings, clock.now()) {
                tracing::error!(error = %e, "the waitlist worker could not offer freed times");
            }
            std::thread::sleep(every);
        })
        .expect("starting the waitlist thread");
}
