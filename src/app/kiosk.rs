//! The kiosk's errand menu: every in-person errand of a location, with what the door would
//! answer if it were touched now, so the screen can say it before the citizen waits.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::catalogue;
use super::tickets::{refusal, DoorAnswer};
use super::visit;
use crate::domain::municipality::Municipality;
use crate::domain::organisation::{Location, Service};
use crate::domain::slots::Slot;
use crate::domain::visit::NeedSpec;
use crate::error::AppResult;
use crate::store::{departments, organisations, DbConnection};

/// What touching an errand does now.
#[derive(Debug, Clone)]
pub enum Action {
    Ticket,
    /// Done online; an assisted ticket is still possible.
    SelfService {
        url: String,
    },
    /// Needs a booking; the next free times.
    BookingRequired {
        next_free: Vec<Slot>,
    },
    /// The office is closed.
    Closed,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub service: Service,
    pub action: Action,
}

/// Errands grouped by the department that owns them, in the order of the organisation.
#[derive(Debug, Clone)]
pub struct Group {
    pub department: String,
    /// The department's name, for the heading over its errands.
    pub name: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Menu {
    /// The municipality's name, for the print.
    pub organisation: String,
    /// Its identity on the screen: name, logo, brand colour.
    pub municipality: Option<Municipality>,
    pub location: Location,
    pub next_opening: Option<DateTime<Tz>>,
    pub open: bool,
    pub groups: Vec<Group>,
    /// The needs a citizen may state at this door.
    pub needs: Vec<NeedSpec>,
}

pub fn menu(conn: &mut DbConnection, location_slug: &str, now: DateTime<Utc>) -> AppResult<Menu> {
    let location = catalogue::location(conn, location_slug)?;
    let services = organisations::services_at(conn, location.id)?;
    let names = departments::names(conn, location.organisation_id)?;
    let mut groups: Vec<Group> = Vec::new();
    let mut next_opening = None;
    let mut open = true;
    // Phone and video meetings do not happen at the door.
    for service in services
        .into_iter()
        .filter(|s| s.spec.channel.served_at_desk())
    {
        let action = match refusal(conn, &location, &service, false, now)? {
            None => Action::Ticket,
            Some(DoorAnswer::SelfService { url }) => Action::SelfService { url },
            Some(DoorAnswer::NeedsBooking { slots }) => {
                Action::BookingRequired { next_free: slots }
            }
            Some(DoorAnswer::Closed { next_opening: next }) => {
                open = false;
                next_opening = next;
                Action::Closed
            }
            Some(DoorAnswer::Ticket(_)) => unreachable!("a refusal is never a ticket"),
        };
        let department = service.spec.department.to_string();
        let entry = Entry { service, action };
        match groups.iter_mut().find(|g| g.department == department) {
            Some(group) => group.entries.push(entry),
            None => groups.push(Group {
                name: names
                    .iter()
                    .find(|(slug, _)| *slug == department)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                department,
                entries: vec![entry],
            }),
        }
    }
    groups.sort_by_key(|g| names.iter().position(|(slug, _)| *slug == g.department));
    Ok(Menu {
        organisation: organisations::organisation_name(conn, location.organisation_id)?,
        municipality: catalogue::municipality(conn)?,
        needs: visit::offered_needs(conn, &location)?,
        location,
        next_opening,
        open,
        groups,
    })
}
