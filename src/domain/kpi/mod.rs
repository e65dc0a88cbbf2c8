//! The KPI report: waits, service times, no-shows and cancellations, booked share,
//! first-contact resolution, errands per staffed hour and the cost of the period by
//! channel, per location, errand, department, local day and hour of the day.
//!
//! The store hands over facts (one row per ticket, counted appointments and door answers,
//! desk state changes); everything here is arithmetic on them. The rules, in one place:
//!
//! - A ticket belongs to the local day and hour it was issued, and to the errand it ended
//!   with (a transfer moves it). Its wait runs from when it was issued, or from the booked
//!   start when a booking checked in early, to its first call.
//! - An appointment belongs to the local day and hour of its booked start. An in-person
//!   appointment is a no-show when it was never checked in and its start has passed, or
//!   its ticket was marked a no-show; phone and video meetings are held once booked.
//! - Errands are finished tickets; staffed hours are the time desks were open.
//! - An answer to the question after a visit belongs to the local day and hour it was
//!   given, and to the visit's first errand; only its score is counted, never its comment.
//! - The wait target is 2 minutes for errands a citizen may walk in with (the first line)
//!   and 4 minutes for errands that need a booking (specialist units).

mod costs;
mod distribution;
mod facts;
mod metrics;
mod period;
mod report;
mod spans;
mod targets;
#[cfg(test)]
mod tests;

pub use costs::ChannelCosts;
pub use distribution::{wait_distribution, WaitBand, WAIT_BANDS_MINUTES};
pub use facts::{
    AppointmentCount, CheckInNoShow, DeskChange, ErrandFact, Facts, FeedbackCount, LocationInfo,
    SelfServiceCount, ServiceInfo, TicketFact,
};
pub use metrics::{percentile, ChannelUse, Cost, FeedbackScore, Metrics, WaitMinutes};
pub use period::{Period, Span};
pub use report::{report, DayRow, DepartmentRow, HourRow, LocationRow, Report, ServiceRow};
pub use spans::{open_spans, OpenSpan};
pub use targets::{wait_target_minutes, FIRST_LINE_TARGET_MINUTES, SPECIALIST_TARGET_MINUTES};
