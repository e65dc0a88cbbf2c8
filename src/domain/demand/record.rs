//! One 15-minute interval of demand history, the unit that history is stored, forecast and
//! planned in.

use chrono::{DateTime, Utc};

use crate::domain::Slug;

/// One 15-minute interval of history at a location for a service.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRecord {
    pub location: Slug,
    pub service: Slug,
    /// UTC, on a 15-minute boundary in the location's local time.
    pub interval_start: DateTime<Utc>,
    /// Tickets taken at the door.
    pub walk_ins: u32,
    /// Appointments that were booked for this interval.
    pub booked: u32,
    /// Of the booked, how many did not come (≤ `booked`).
    pub no_shows: u32,
    /// Citizens served: `walk_ins + booked − no_shows`, or fewer if some walked away.
    pub served: u32,
    /// Total handling time of those served.
    pub service_seconds: u32,
    /// Total waiting time of those served.
    pub wait_seconds: u32,
}

impl DemandRecord {
    /// Citizens who came: the walk-ins and the booked who showed up.
    pub fn arrivals(&self) -> u32 {
        self.walk_ins + self.booked - self.no_shows
    }
}

/// The length of an interval of history, forecast and plan.
pub const INTERVAL_MINUTES: u32 = 15;
/// The interval in seconds, for arithmetic on times of day.
pub(super) const INTERVAL_SECONDS: u32 = INTERVAL_MINUTES * 60;
