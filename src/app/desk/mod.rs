//! The staff console's work: open, pause and close a desk; call the next ticket; act on a
//! called ticket. Every action is stored with who, where and when.
//!
//! Who may work where and a desk's state are here; calling a ticket is [`call`]'s, and
//! what staff do with a called ticket [`act`]'s.

use chrono::{DateTime, Utc};

use crate::app::events::{Events, LocationEvent};
use crate::domain::ids::{DeskId, LocationId};
use crate::domain::organisation::{Desk, DeskState, Role, StaffUser};
use crate::error::{AppError, AppResult};
use crate::store::tickets::{self, Event};
use crate::store::{self, organisations, DbConnection};

pub mod act;
pub mod call;

pub use act::{act, undo, Acted, TicketRequest};
pub use call::{call_next, call_out_of_turn, Called, REASON_MAX_CHARS};

/// Who may work a desk.
pub const DESK_ROLES: &[Role] = &[Role::Staff, Role::Admin];

pub(super) fn desk(conn: &mut DbConnection, id: DeskId) -> AppResult<Desk> {
    organisations::find_desk(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no desk {id}")))
}

/// Staff work at the locations the organisation lists for them (all, when it lists none);
/// administrators anywhere. The rule for acting at a desk, and for reading a location's
/// queue and desks.
pub fn may_work_at(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location: LocationId,
) -> AppResult<()> {
    if works_at(conn, staff, location)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} does not work at this location",
            staff.username
        )))
    }
}

/// Whether [`may_work_at`] lets the staff user work at `location`.
pub fn works_at(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location: LocationId,
) -> AppResult<bool> {
    Ok(staff.has_any_role(&[Role::Admin]) || store::staff::may_work_at(conn, staff.id, location)?)
}

/// Opens, pauses or closes a desk; returns it with its location's slug.
pub fn set_state(
    conn: &mut DbConnection,
    staff: &StaffUser,
    id: DeskId,
    state: DeskState,
    now: DateTime<Utc>,
    events: &Events,
) -> AppResult<(Desk, String)> {
    events.write(conn, |conn| {
        let mut desk = desk(conn, id)?;
        may_work_at(conn, staff, desk.location_id)?;
        if desk.out_of_order && state.is_worked() {
            return Err(AppError::conflict(format!(
                "{} is out of order; an administrator can put it back in use",
                desk.name
            )));
        }
        organisations::set_desk_state(conn, id, state)?;
        let action: &'static str = state.into();
        tickets::record_event(
            conn,
            &Event {
                location: desk.location_id,
                ticket: None,
                desk: Some(id),
                staff: staff.id,
                action,
                detail: None,
                at: now,
            },
        )?;
        desk.state = state;
        let slug = organisations::location_slug(conn, desk.location_id)?;
        // The display's waiting estimates and the consoles' desk lists depend on open desks.
        let event = LocationEvent {
            location: slug.clone(),
            kind: "desk.changed",
            number: String::new(),
            service: None,
            desk: Some(desk.name.clone()),
        };
        Ok(((desk, slug), Some(event)))
    })
}
