//! The waitlist: citizens who found no suitable time join it; a freed time in their range is
//! held for the first of them and offered by mail; the holder claims it as an appointment, or
//! the hold lapses and the time goes to the next or back to everyone. Here is the
//! citizen's side (join, leave, see the offer, claim it); offering freed times is
//! [`waitlist_offers`](crate::app::waitlist_offers).
//!
//! Every step that frees, offers or claims a time runs in a writing transaction under the
//! lock of the location's whole capacity (`store::write` + `store::capacity_lock::whole`),
//! which every booking there holds shared, so a held time is never booked by someone else
//! and never held twice.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::auth;
use crate::app::booking::{self, Booked};
use crate::app::capacity::{self, Except, MAX_SLOT_RANGE_DAYS};
use crate::app::message_queue;
use crate::app::visit::{Visit, VisitAsked};
use crate::app::waitlist_offers::{entry_visit, offer_freed, WaitlistSettings};
use crate::domain::booking::{new_reference, Citizen, Language};
use crate::domain::organisation::{Location, Service};
use crate::domain::visit::NeedSpec;
use crate::domain::waitlist::{
    hold_counts, BookableDates, EntryStatus, HoldStatus, WaitRange, WaitlistMailKind,
};
use crate::error::{AppError, AppResult};
use crate::messages::{Arg, Said};
use crate::store::waitlist::{self as rows, EntryRecord, HoldRecord, NewEntry};
use crate::store::{self, capacity_lock, needs, organisations, DbConnection};

/// Joining as the citizen asked.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    pub location: String,
    /// The visit waited for: one errand, or several with the needs stated.
    pub visit: VisitAsked,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub citizen: Citizen,
    pub language: Language,
}

/// On the list: the token (to leave it) is shown once, here, and stored only as a hash.
#[derive(Debug, Clone)]
pub struct Joined {
    pub reference: String,
    pub token: String,
    pub location: Location,
    /// The visit's first errand.
    pub service: Service,
    /// The whole visit waited for, the first errand first.
    pub visit: Visit,
    /// The needs the organisation offers, for their names.
    pub offered_needs: Vec<NeedSpec>,
    pub range: WaitRange,
}

/// Puts a citizen on the waitlist. Refused while the range still has a free time: that
/// time is the citizen's to book now, and the list is for times that come free later.
pub fn join(
    conn: &mut DbConnection,
    request: &JoinRequest,
    now: DateTime<Utc>,
) -> AppResult<Joined> {
    store::write(conn, |conn| {
        let cal = capacity::locked(
            conn,
            |conn| capacity::visit_calendar(conn, &request.location, &request.visit, now),
            |conn, cal| Ok(capacity_lock::whole(conn, cal.location.id)?),
        )?;
        // The dates every errand of the visit can be booked for.
        let bookable = BookableDates::at(cal.location.timezone, &cal.rules, now);
        let range = WaitRange::parse(request.from, request.to, bookable, MAX_SLOT_RANGE_DAYS)
            .map_err(|e| {
                AppError::invalid(format!("{}: {}", e.field, e.message), vec![e.clone()])
                    .saying(Said::Fields(vec![e]))
            })?;
        let (location, service) = (cal.location.id, cal.service.id);
        if rows::already_waiting(conn, &request.citizen.email, location, service)? {
            return Err(AppError::conflict(
                "this e-mail address is on the waitlist for this errand here already",
            )
            .saying(Said::key("refusal.already_on_waitlist")));
        }
        if let Some(free) = capacity::free_in(conn, &cal, range.from, range.to, now)?.first() {
            return Err(AppError::conflict(format!(
                "there are free times in those dates, the first at {}; book one of them, or wait for other dates",
                free.start.format("%Y-%m-%d %H:%M")
            ))
            .saying(Said::with(
                "refusal.free_times_in_range",
                vec![(
                    "when",
                    Arg::Moment(free.start.with_timezone(&Utc), cal.location.timezone),
                )],
            )));
        }
        let token = auth::random_token();
        let reference = new_reference(&mut rand::thread_rng());
        let id = rows::insert_entry(
            conn,
            &NewEntry {
                reference: &reference,
                token_hash: &auth::token_hash(&token),
                location: cal.location.id,
                service: cal.service.id,
                range,
                citizen: &request.citizen,
                language: request.language,
                now,
            },
        )?;
        rows::state_visit(conn, id, &cal.visit.line_ids(), &cal.visit.needs)?;
        message_queue::waitlist_mail(conn, id, None, WaitlistMailKind::Joined, &token, now)?;
        let offered_needs = needs::offered(conn, cal.location.organisation_id)?;
        Ok(Joined {
            reference,
            token,
            location: cal.location,
            service: cal.service,
            visit: cal.visit,
            offered_needs,
            range,
        })
    })
}

fn not_found() -> AppError {
    AppError::not_found("there is no waitlist entry with that reference and token")
        .saying(Said::key("refusal.no_waitlist_entry"))
}

/// The entry this reference and token open; a wrong token reads like an unknown reference.
fn open_entry(conn: &mut DbConnection, reference: &str, token: &str) -> AppResult<EntryRecord> {
    let entry = rows::find_entry(conn, reference)?.ok_or_else(not_found)?;
    if entry.token_hash != auth::token_hash(token) {
        return Err(not_found());
    }
    Ok(entry)
}

/// Takes the citizen off the list; a time held for them goes on to the next at once.
pub fn leave(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    settings: &WaitlistSettings,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::write(conn, |conn| {
        let entry = open_entry(conn, reference, token)?;
        if entry.status != EntryStatus::Waiting {
            return Err(AppError::conflict(format!(
                "this waitlist entry is {} already",
                entry.status
            ))
            .saying(Said::key("refusal.waitlist_entry_done")));
        }
        capacity_lock::whole(conn, entry.location)?;
        rows::set_entry_status(conn, entry.id, EntryStatus::Left, now)?;
        if let Some(hold) = rows::latest_hold(conn, entry.id)? {
            if hold.status == HoldStatus::Held {
                rows::set_hold_status(conn, hold.id, HoldStatus::Released, None)?;
            }
        }
        offer_freed(conn, entry.location, settings, now)?;
        Ok(())
    })
}

/// A time held for an entry, as its holder sees it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub reference: String,
    pub location: Location,
    /// The visit's first errand.
    pub service: Service,
    /// The whole visit held for, the first errand first.
    pub visit: Visit,
    /// The needs the organisation offers, for their names.
    pub offered_needs: Vec<NeedSpec>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
    /// `Held` only while the hold still counts; an expired hold reads as `Lapsed`.
    pub status: HoldStatus,
    pub language: Language,
}

/// The entry's latest hold, opened by the token of its offer mail.
fn open_hold(conn: &mut DbConnection, entry: &EntryRecord, token: &str) -> AppResult<HoldRecord> {
    match rows::latest_hold(conn, entry.id)? {
        Some(hold) if hold.token_hash == auth::token_hash(token) => Ok(hold),
        _ => Err(not_found()),
    }
}

fn effective(hold: &HoldRecord, now: DateTime<Utc>) -> HoldStatus {
    match hold.status {
        HoldStatus::Held if !hold_counts(hold.status, hold.expires_at, now) => HoldStatus::Lapsed,
        other => other,
    }
}

/// The time offered to an entry.
pub fn offer(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Offer> {
    let entry = rows::find_entry(conn, reference)?.ok_or_else(not_found)?;
    let hold = open_hold(conn, &entry, token)?;
    let (location, service) =
        organisations::location_and_service(conn, entry.location, entry.service)?;
    let visit = entry_visit(conn, &entry, &location)?;
    let minutes = visit
        .rules()
        .map_or(service.spec.duration_minutes, |r| r.duration_minutes);
    let end = hold.starts_at + Duration::minutes(i64::from(minutes));
    let offered_needs = needs::offered(conn, location.organisation_id)?;
    Ok(Offer {
        reference: entry.reference,
        location,
        service,
        visit,
        offered_needs,
        start: hold.starts_at,
        end,
        held_until: hold.expires_at,
        status: effective(&hold, now),
        language: entry.language,
    })
}

/// Turns the held time into an appointment for its holder, with the usual confirmation.
pub fn claim(
    conn: &mut DbConnection,
    reference: &str,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Booked> {
    store::write(conn, |conn| {
        let entry = rows::find_entry(conn, reference)?.ok_or_else(not_found)?;
        // Lock before reading the hold, so that a lapse or another claim waits for us.
        capacity_lock::whole(conn, entry.location)?;
        let hold = open_hold(conn, &entry, token)?;
        let location = organisations::location_and_service(conn, entry.location, entry.service)?.0;
        match effective(&hold, now) {
            HoldStatus::Held => {}
            HoldStatus::Claimed => {
                return Err(AppError::conflict(
                    "this time is booked for you already; see the confirmation mail",
                )
                .saying(Said::key("refusal.held_time_claimed")))
            }
            HoldStatus::Lapsed | HoldStatus::Released => {
                return Err(AppError::conflict(format!(
                    "the time was held for you until {}, and has gone on to others",
                    hold.expires_at.format("%Y-%m-%d %H:%M UTC")
                ))
                .saying(Said::with(
                    "refusal.held_time_gone",
                    vec![("when", Arg::Moment(hold.expires_at, location.timezone))],
                )))
            }
        }
        let citizen = match (&entry.citizen_name, &entry.citizen_email) {
            (Some(name), Some(email)) => Citizen {
                name: name.clone(),
                email: email.clone(),
                phone: None,
                sms_opt_in: false,
                feedback_opt_in: false,
            },
            _ => return Err(not_found()),
        };
        // The whole visit the entry waits for, needs and all, as the booking's.
        let visit = entry_visit(conn, &entry, &location)?;
        let cal = capacity::visit_calendar_of(conn, location, visit, now)?;
        let (appointment, booked) = booking::take(
            conn,
            cal,
            hold.starts_at,
            &citizen,
            entry.language,
            Except::hold(hold.id),
            now,
        )?;
        rows::set_hold_status(conn, hold.id, HoldStatus::Claimed, Some(appointment))?;
        rows::set_entry_status(conn, entry.id, EntryStatus::Booked, now)?;
        Ok(booked)
    })
}
