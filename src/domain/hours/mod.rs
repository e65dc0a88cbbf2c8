//! Opening hours: weekly intervals in a location's local time, and closures.
//!
//! One concept cut by step: [`error`] says why hours are refused, [`range`] is one range
//! of a day, [`week`] the weekly hours, [`closure`] the special days (closures, holidays,
//! reduced hours), [`opening`] when a location is open once both are taken together.

pub mod closure;
pub mod error;
pub mod opening;
pub mod range;
pub mod week;

pub use closure::Closure;
pub use error::HoursError;
pub use opening::{is_open, next_opening, open_ranges};
pub use range::{intersect, parse_clock, parse_date, TimeRange};
pub use week::{parse_week, parse_weekday, WeekProblem, WeeklyHours, NEVER_OPEN, WEEKDAY_KEYS};

#[cfg(test)]
mod tests;
