//! Desks kept by administrators: add one, rename it, change its errands and kind, take it
//! out of order and back. Each save is checked by the desk rules, made only over the
//! revision read, and recorded in the audit log with the desk before and after.
//!
//! A visit of several errands, or with needs of the desk, can only be booked where desks
//! serve all of it, so taking a desk out of order (or changing what it serves) can leave
//! such confirmed bookings without a desk. The capacity calendar says which; they are shown
//! first, and the administrator keeps them or cancels them with one apology each, in the
//! same transaction as the change, as a closure does.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::app::closures::{self, Ask, Settled};
use crate::app::{audit, capacity, catalogue, staff_accounts};
use crate::domain::closing::BookingsDecision;
use crate::domain::desk_draft::{self, DeskDraft, Place};
use crate::domain::ids::DeskId;
use crate::domain::organisation::{Desk, DeskKind, Location, StaffUser};
use crate::domain::revision::Revision;
use crate::error::{AppError, AppResult};
use crate::import::services::MAX_BOOK_AHEAD_DAYS;
use crate::store::appointments::{self, AppointmentRecord};
use crate::store::staff_accounts::Saved;
use crate::store::{self, organisations, DbConnection};
use crate::store::{capacity_lock, desks};

/// A desk as the administration shows it, with the revision a save must name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeskRecord {
    pub id: DeskId,
    pub location: String,
    pub name: String,
    pub kind: DeskKind,
    pub services: Vec<String>,
    pub out_of_order: bool,
    #[serde(skip)]
    pub revision: Revision,
}

fn record(conn: &mut DbConnection, location: &Location, desk: Desk) -> AppResult<DeskRecord> {
    let (_, revision) = desks::revision(conn, desk.id)?
        .ok_or_else(|| AppError::not_found(format!("there is no desk {}", desk.id)))?;
    Ok(DeskRecord {
        id: desk.id,
        location: location.slug.to_string(),
        name: desk.name,
        kind: desk.kind,
        services: desk.services.into_iter().map(String::from).collect(),
        out_of_order: desk.out_of_order,
        revision,
    })
}

/// The desk as just saved. The catalogue a request reads is the one it began with, so the
/// saved desk is described from what was written, with its revision read afresh.
fn saved(
    conn: &mut DbConnection,
    location: &Location,
    id: DeskId,
    desk: &desk_draft::CheckedDesk,
) -> AppResult<DeskRecord> {
    let (_, revision) = desks::revision(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no desk {id}")))?;
    Ok(DeskRecord {
        id,
        location: location.slug.to_string(),
        name: desk.spec.name.clone(),
        kind: desk.spec.kind,
        services: desk.spec.services.iter().map(ToString::to_string).collect(),
        out_of_order: desk.spec.out_of_order,
        revision,
    })
}

fn place(conn: &mut DbConnection, admin: &StaffUser, slug: &str) -> AppResult<Location> {
    let location = catalogue::location(conn, slug)?;
    if location.organisation_id != admin.organisation_id {
        return Err(AppError::not_found(format!(
            "there is no location '{slug}'"
        )));
    }
    Ok(location)
}

/// The desks of a location, by name.
pub fn list(
    conn: &mut DbConnection,
    admin: &StaffUser,
    location_slug: &str,
) -> AppResult<Vec<DeskRecord>> {
    let location = place(conn, admin, location_slug)?;
    organisations::desks_at(conn, location.id)?
        .into_iter()
        .map(|d| record(conn, &location, d))
        .collect()
}

/// One desk, with its location.
pub fn get(conn: &mut DbConnection, admin: &StaffUser, id: DeskId) -> AppResult<DeskRecord> {
    let desk = organisations::find_desk(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no desk {id}")))?;
    let slug = organisations::location_slug(conn, desk.location_id)?;
    let location = place(conn, admin, &slug)?;
    record(conn, &location, desk)
}

fn checked(
    conn: &mut DbConnection,
    location: &Location,
    draft: &DeskDraft,
    except: Option<DeskId>,
) -> AppResult<desk_draft::CheckedDesk> {
    let offered: Vec<_> = organisations::services_at(conn, location.id)?
        .into_iter()
        .map(|s| s.spec.slug)
        .collect();
    let other_names: Vec<String> = organisations::desks_at(conn, location.id)?
        .into_iter()
        .filter(|d| Some(d.id) != except)
        .map(|d| d.name)
        .collect();
    let place = Place {
        slug: location.slug.as_str(),
        offered: &offered,
        other_names: &other_names,
    };
    desk_draft::check(draft, place).map_err(AppError::invalid_fields)
}

/// Adds a desk, closed, at the location.
pub fn create(
    conn: &mut DbConnection,
    admin: &StaffUser,
    location_slug: &str,
    draft: &DeskDraft,
    now: DateTime<Utc>,
) -> AppResult<DeskRecord> {
    store::write(conn, |conn| {
        let location = place(conn, admin, location_slug)?;
        let desk = checked(conn, &location, draft, None)?;
        let by = Saved {
            by: &admin.display_name,
            at: now,
        };
        let id = desks::insert(conn, location.id, &desk, by)?;
        let created = saved(conn, &location, id, &desk)?;
        let subject = format!("{}/{}", created.location, created.name);
        audit::record_change(conn, admin, "desk.create", &subject, (None, &created), now)?;
        Ok(created)
    })
}

/// What came of a desk's save.
#[derive(Debug)]
pub enum DeskSaved {
    /// Saved, with the references of the bookings it left without a desk.
    Done {
        desk: DeskRecord,
        cancelled: Vec<String>,
        kept: Vec<String>,
    },
    /// Nothing saved: confirmed bookings would lose their desk.
    Choose(Ask),
}

/// Saves the desk read at `decision.version`; 409 naming who saved it since. A desk taken
/// out of order is closed at once; a citizen at it is finished as usual by its staff. The
/// bookings the change leaves without a desk are asked about first.
pub fn update(
    conn: &mut DbConnection,
    admin: &StaffUser,
    id: DeskId,
    draft: &DeskDraft,
    decision: &BookingsDecision,
    now: DateTime<Utc>,
) -> AppResult<DeskSaved> {
    let read = decision.version;
    store::write(conn, |conn| {
        let before = get(conn, admin, id)?;
        staff_accounts::fresh(conn, admin.organisation_id, read, &before.revision)?;
        let location = place(conn, admin, &before.location)?;
        let desk = checked(conn, &location, draft, Some(id))?;
        // Bookings lock the capacity they take; a change of the desks may take some of it.
        store::lock_location(conn, location.id)?;
        capacity_lock::whole(conn, location.id)?;
        let affected = losing_desk(conn, &location, id, &desk, now)?;
        let decided = match closures::chosen(conn, &location, affected, decision)? {
            Ok(decided) => decided,
            Err(ask) => return Ok(DeskSaved::Choose(ask)),
        };
        let reason = closures::reason_for(&decided, decision)?;
        let by = Saved {
            by: &admin.display_name,
            at: now,
        };
        if !desks::update(conn, location.id, id, &desk, read, by)? {
            let current = get(conn, admin, id)?;
            return Err(staff_accounts::fresh(
                conn,
                admin.organisation_id,
                read,
                &current.revision,
            )
            .err()
            .unwrap_or_else(|| AppError::conflict("the desk changed meanwhile; reload")));
        }
        let Settled {
            cancelled,
            kept,
            detail,
        } = closures::settle(conn, &decided, reason, now)?;
        let after = saved(conn, &location, id, &desk)?;
        let subject = format!("{}/{}", after.location, after.name);
        let change = (Some(&before), &after);
        audit::record_change_with(conn, admin, "desk.update", &subject, change, detail, now)?;
        Ok(DeskSaved::Done {
            desk: after,
            cancelled,
            kept,
        })
    })
}

/// The confirmed bookings from now on that have a desk with the location's desks as they
/// are and none with `desk` changed as asked, as the capacity calendar counts them: those
/// made first keep their desks.
fn losing_desk(
    conn: &mut DbConnection,
    location: &Location,
    id: DeskId,
    desk: &desk_draft::CheckedDesk,
    now: DateTime<Utc>,
) -> AppResult<Vec<AppointmentRecord>> {
    let until = now + Duration::days(i64::from(MAX_BOOK_AHEAD_DAYS) + 1);
    let mut booked = appointments::booked_overlapping(conn, location.id, now, until)?;
    booked.sort_by_key(|b| b.id);
    let layout = organisations::desk_layout(conn, location.id)?;
    let changed: Vec<Desk> = layout
        .iter()
        .cloned()
        .map(|d| match d.id == id {
            true => Desk {
                name: desk.spec.name.clone(),
                kind: desk.spec.kind,
                services: desk.spec.services.clone(),
                out_of_order: desk.spec.out_of_order,
                ..d
            },
            false => d,
        })
        .collect();
    let before = capacity::without_room(conn, location, &booked, &layout, now)?;
    let after = capacity::without_room(conn, location, &booked, &changed, now)?;
    let mut left: Vec<AppointmentRecord> = booked
        .into_iter()
        .filter(|b| after.contains(&b.id) && !before.contains(&b.id))
        .collect();
    left.sort_by_key(|b| (b.starts_at, b.id));
    Ok(left)
}
