//! What the calendar answers: a bookable time, or why a requested time is refused.

use std::fmt;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

/// A bookable time, in the location's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub start: DateTime<Tz>,
    /// The end of the appointment itself (without the buffer).
    pub end: DateTime<Tz>,
    /// How many more bookings the slot takes; always at least 1.
    pub available: u32,
}

/// Why a requested start cannot be booked.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotRefusal {
    Past,
    TooSoon {
        earliest: DateTime<Tz>,
    },
    TooFarAhead {
        latest_date: NaiveDate,
    },
    Closed {
        reason: String,
    },
    /// Not inside the opening hours, or the appointment and its buffer would not end by closing.
    OutsideHours,
    OffGrid,
    NoCapacity,
}

impl SlotRefusal {
    /// True when the time is valid but taken: a conflict (409) rather than invalid input (422).
    pub fn is_full(&self) -> bool {
        matches!(self, SlotRefusal::NoCapacity)
    }
}

impl fmt::Display for SlotRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotRefusal::Past => f.write_str("That time has already passed."),
            SlotRefusal::TooSoon { earliest } => write!(
                f,
                "That time is too soon to book; the earliest bookable time is {}.",
                earliest.format("%Y-%m-%d %H:%M")
            ),
            SlotRefusal::TooFarAhead { latest_date } => write!(
                f,
                "That day is too far ahead to book; the last bookable day is {latest_date}."
            ),
            SlotRefusal::Closed { reason } => {
                write!(f, "The office is closed that day ({reason}).")
            }
            SlotRefusal::OutsideHours => f.write_str(
                "That time is outside the opening hours for this errand, \
                 or the appointment would not end before closing.",
            ),
            SlotRefusal::OffGrid => f.write_str(
                "Appointments for this errand do not start at that time; choose one of the offered times.",
            ),
            SlotRefusal::NoCapacity => f.write_str("That time is fully booked."),
        }
    }
}

impl std::error::Error for SlotRefusal {}
