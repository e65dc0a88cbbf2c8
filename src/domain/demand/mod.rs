//! Demand history: arrivals per location, service and 15-minute interval ([`DemandRecord`]),
//! the local quarter hours a location is open ([`open_intervals`]), the elections that move
//! demand ([`ELECTIONS`]), and, apart, the generator of plausible synthetic history for the
//! demo and the planner's tests ([`synthetic`]).

mod elections;
mod intervals;
pub mod past;
mod record;
pub mod synthetic;
#[cfg(test)]
mod tests;

pub use elections::{
    election_days, postal_voting_days_before, Election, ElectionKind, ELECTIONS,
    POSTAL_VOTES_FROM_DAYS, POSTAL_VOTES_UNTIL_DAYS,
};
pub use intervals::open_intervals;
pub use past::{past_days, DeskSession, PastBooking, PastDay, PastTicket, PastVisit};
pub use record::{DemandRecord, INTERVAL_MINUTES};
pub use synthetic::{
    booked_share, calendar_factor, election_factor, no_show_rate, synthetic_history,
    time_of_day_factor, DemandModel, ExpectedDemand, ServiceKind, OPTIONAL_BOOKED_SHARE,
    VISITS_PER_OPEN_HOUR,
};
