//! Closing a location from the administration, for whole days or part of a day: first the
//! confirmed bookings the closure would leave outside the hours, then the closure with what
//! the administrator chose for them — kept, or cancelled with one apology each — in one
//! transaction. A form read at an older version of the location is refused.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::app::audit::{self, Change};
use crate::app::{admin, message_queue};
use crate::domain::booking::Language;
use crate::domain::closing::{closed_by, same_bookings, BookingsChoice, BookingsDecision};
use crate::domain::hours::{Closure, HoursError};
use crate::domain::organisation::{Location, StaffUser};
use crate::domain::revision::Stale;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::export::closures_file;
use crate::store::appointments::{self, AppointmentRecord};
use crate::store::location_versions::{self, Version};
use crate::store::{self, capacity_lock, organisations, DbConnection};

/// The first day a closure can lie on: before anything this system has served (and a date
/// every backend stores, as `NaiveDate::MIN` is not).
const EVER: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");

/// What the administrator asks for.
#[derive(Debug, Clone)]
pub struct CloseRequest {
    pub closure: Closure,
    /// The location's version read, and the choice for the bookings the closure affects;
    /// the apology gives the closure's own reason.
    pub decision: BookingsDecision,
}

/// A confirmed booking that a change would leave outside the hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Affected {
    pub reference: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The errand's name in Danish and English.
    pub errand: (String, String),
    /// Blank once retention removed it.
    pub citizen: Option<String>,
}

impl Affected {
    pub fn errand(&self, lang: Language) -> &str {
        match lang {
            Language::Da => &self.errand.0,
            Language::En => &self.errand.1,
        }
    }
}

/// The confirmed bookings that stand in a change's way, for the administrator to choose
/// what becomes of them (again, when they are not the ones shown before). Those in `kept`
/// are affected too, but were kept despite an earlier change and stay as they are.
#[derive(Debug, Clone)]
pub struct Ask {
    pub location: Box<Location>,
    pub affected: Vec<Affected>,
    pub kept: Vec<Affected>,
}

/// What came of a request.
#[derive(Debug, Clone)]
pub enum Closed {
    /// Nothing changed: these bookings stand in the way.
    Choose(Ask),
    /// The closure is saved.
    Done {
        cancelled: Vec<String>,
        kept: Vec<String>,
        version: i32,
    },
}

/// The location, its version and its closures, for the form that edits them.
pub fn read(conn: &mut DbConnection, slug: &str) -> AppResult<(Location, Version, Vec<Closure>)> {
    let location = location(conn, slug)?;
    let version = location_versions::of(conn, location.id)?;
    let closures = organisations::closures_from(conn, location.id, EVER)?;
    Ok((location, version, closures))
}

/// Closes the location as asked, or says which bookings stand in the way.
pub fn close(
    conn: &mut DbConnection,
    by: &StaffUser,
    slug: &str,
    request: &CloseRequest,
    now: DateTime<Utc>,
) -> AppResult<Closed> {
    store::write(conn, |conn| {
        let location = locked_at(conn, slug, request.decision.version)?;
        let affected = affected(conn, &location, &request.closure)?;
        let decided = match chosen(conn, &location, affected, &request.decision)? {
            Ok(decided) => decided,
            Err(ask) => return Ok(Closed::Choose(ask)),
        };
        let mut closures = organisations::closures_from(conn, location.id, EVER)?;
        let before = closures_file(&closures);
        organisations::add_closure(conn, location.id, &request.closure)?;
        closures.push(request.closure.clone());
        advance(conn, &location, request.decision.version, by, now)?;
        let settled = settle(conn, &decided, &request.closure.reason, now)?;
        let change = Change {
            action: "location.closure",
            subject: location.slug.as_str(),
            before: &before,
            after: &closures_file(&closures),
            detail: settled.detail.as_deref(),
        };
        audit::record_file_change(conn, by, &change, now)?;
        let Settled {
            cancelled, kept, ..
        } = settled;
        Ok(Closed::Done {
            cancelled,
            kept,
            version: request.decision.version + 1,
        })
    })
}

/// The bookings a change affects that are still to be decided, and the choice for them.
/// One an administrator kept despite an earlier change was decided then: it is neither
/// asked about nor cancelled again.
pub(crate) struct Decided {
    pub choice: BookingsChoice,
    pub bookings: Vec<AppointmentRecord>,
}

/// The administrator's choice for the bookings a change affects (keep, when there are
/// none still to decide), or `Err` with the request to choose: none was made, or it was
/// made for other bookings than these.
pub(crate) fn chosen(
    conn: &mut DbConnection,
    location: &Location,
    affected: Vec<AppointmentRecord>,
    decision: &BookingsDecision,
) -> AppResult<Result<Decided, Ask>> {
    let (kept, open): (Vec<_>, Vec<_>) = affected
        .into_iter()
        .partition(|a| a.kept_despite_change_at.is_some());
    let references: Vec<&str> = open.iter().map(|a| a.reference.as_str()).collect();
    let choice = match decision.bookings {
        _ if open.is_empty() => BookingsChoice::Keep,
        Some(choice) if same_bookings(&decision.affected, &references) => choice,
        _ => {
            return Ok(Err(Ask {
                location: Box::new(location.clone()),
                affected: views(conn, location, open)?,
                kept: views(conn, location, kept)?,
            }))
        }
    };
    Ok(Ok(Decided {
        choice,
        bookings: open,
    }))
}

/// The reason to give cancelled citizens, which a cancellation of bookings needs.
pub(crate) fn reason_for<'a>(
    decided: &Decided,
    decision: &'a BookingsDecision,
) -> AppResult<&'a str> {
    let reason = decision.reason.trim();
    if decided.choice == BookingsChoice::Cancel && !decided.bookings.is_empty() && reason.is_empty()
    {
        return Err(AppError::invalid_fields(vec![FieldError::new(
            "reason",
            HoursError::NoReason.to_string(),
        )]));
    }
    Ok(reason)
}

/// What came of the choice for the affected bookings.
pub(crate) struct Settled {
    pub cancelled: Vec<String>,
    pub kept: Vec<String>,
    /// The audit line's detail: the choice and the references, when there were any.
    pub detail: Option<String>,
}

/// Carries out the choice for the bookings still to decide: cancelled, each with its
/// reminders dropped and one apology that gives `reason`, or kept as they are and marked
/// so, for the staff who meet them and for the changes to come.
pub(crate) fn settle(
    conn: &mut DbConnection,
    decided: &Decided,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<Settled> {
    let references: Vec<String> = decided
        .bookings
        .iter()
        .map(|a| a.reference.clone())
        .collect();
    match decided.choice {
        BookingsChoice::Cancel => {
            for booking in &decided.bookings {
                appointments::cancel(conn, booking.id, now)?;
                message_queue::drop_appointment_reminders(conn, booking.id, now)?;
                message_queue::apology_mail(conn, booking.id, reason, now)?;
            }
        }
        BookingsChoice::Keep => {
            let ids: Vec<i64> = decided.bookings.iter().map(|a| a.id).collect();
            appointments::keep(conn, &ids, now)?;
        }
    }
    let choice_name: &str = decided.choice.into();
    let detail =
        (!references.is_empty()).then(|| format!("{choice_name}: {}", references.join(", ")));
    let (cancelled, kept) = match decided.choice {
        BookingsChoice::Cancel => (references, Vec::new()),
        BookingsChoice::Keep => (Vec::new(), references),
    };
    Ok(Settled {
        cancelled,
        kept,
        detail,
    })
}

/// Moves the location on from version `read`, or refuses the change as stale.
pub(crate) fn advance(
    conn: &mut DbConnection,
    location: &Location,
    read: i32,
    by: &StaffUser,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if location_versions::advance(conn, location.id, read, &by.display_name, now)? {
        return Ok(());
    }
    let version = location_versions::of(conn, location.id)?;
    Err(stale(&version, location.timezone))
}

/// The location, locked for a change of its hours against its queue and its bookings, if it
/// is still at version `read`.
pub(crate) fn locked_at(conn: &mut DbConnection, slug: &str, read: i32) -> AppResult<Location> {
    let location = location(conn, slug)?;
    store::lock_location(conn, location.id)?;
    // Bookings lock the capacity they take; a change of the hours takes all of it.
    capacity_lock::whole(conn, location.id)?;
    let version = location_versions::of(conn, location.id)?;
    if version.number != read {
        return Err(stale(&version, location.timezone));
    }
    Ok(location)
}

fn location(conn: &mut DbConnection, slug: &str) -> AppResult<Location> {
    organisations::find_location(conn, slug)?
        .ok_or_else(|| AppError::not_found(format!("there is no location '{slug}'")))
}

/// The confirmed bookings any part of which the closure closes.
fn affected(
    conn: &mut DbConnection,
    location: &Location,
    closure: &Closure,
) -> AppResult<Vec<AppointmentRecord>> {
    // A day either side holds every zone's local days.
    let midnight = |date: NaiveDate| date.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let from = midnight(closure.first) - Duration::days(1);
    let to = midnight(closure.last) + Duration::days(2);
    let booked = appointments::booked_overlapping(conn, location.id, from, to)?;
    Ok(closed_by(closure, location.timezone, &booked, |b| {
        (b.starts_at, b.ends_at)
    })
    .into_iter()
    .cloned()
    .collect())
}

fn views(
    conn: &mut DbConnection,
    location: &Location,
    affected: Vec<AppointmentRecord>,
) -> AppResult<Vec<Affected>> {
    let errands = organisations::services_at(conn, location.id)?;
    Ok(affected
        .into_iter()
        .map(|b| {
            let errand = errands
                .iter()
                .find(|s| s.id == b.service)
                .map(|s| (s.spec.name_da.clone(), s.spec.name_en.clone()))
                .unwrap_or_default();
            Affected {
                reference: b.reference,
                start: b.starts_at,
                end: b.ends_at,
                errand,
                citizen: b.citizen_name,
            }
        })
        .collect())
}

/// The refusal of a form read before someone else's change: who and when, to reload.
fn stale(version: &Version, zone: Tz) -> AppError {
    let (changed_by, changed_at) = match &version.changed {
        Some((who, at)) => (Some(who.clone()), Some(*at)),
        None => (None, None),
    };
    admin::stale(
        &Stale {
            changed_by,
            changed_at,
        },
        zone,
    )
}
