//! The wait targets: Høje-Taastrup's two minutes at the first line, four at specialist units.

use crate::domain::organisation::BookingPolicy;

/// The wait target of the first line (errands without a required booking), in minutes.
pub const FIRST_LINE_TARGET_MINUTES: f64 = 2.0;
/// The wait target of specialist units (errands that need a booking), in minutes.
pub const SPECIALIST_TARGET_MINUTES: f64 = 4.0;

/// The wait target of an errand.
pub fn wait_target_minutes(booking: BookingPolicy) -> f64 {
    match booking {
        BookingPolicy::Required => SPECIALIST_TARGET_MINUTES,
        BookingPolicy::Optional | BookingPolicy::WalkInOnly => FIRST_LINE_TARGET_MINUTES,
    }
}
